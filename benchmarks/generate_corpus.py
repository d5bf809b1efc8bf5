"""Generate a deterministic corpus of realistic clinic articles for the speed benchmark.

    python benchmarks/generate_corpus.py OUT_DIR --count 1000 --seed 1

Each article (~3 KB) has YAML front matter, headings, a list, a link, cited and uncited claims,
the odd prohibited claim, typo or confusion, medical vocabulary, a references section (DOIs under
the 10.5555 test prefix, PMIDs) and, in most articles, the standard disclaimer. Article i depends
only on (seed, i), so the corpus of N/10 articles is a prefix of the corpus of N: the linearity
rows of run.py then compare like with like.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import random
import sys
import time
from pathlib import Path

DISCLAIMER = (
    "**Disclaimer:** This article is for general information only and is not medical advice. "
    "Always consult a qualified clinician about your own health. "
    "In an emergency, call your local emergency number."
)

# Per specialty: what the slots in the sentence bank are filled with.
SPECIALTIES: dict[str, dict[str, list[str]]] = {
    "acupuncture": {
        "journal": ["Annals of Clinical Needling", "Journal of Integrative Pain Care"],
        "therapy": ["acupuncture", "electroacupuncture", "auricular acupuncture"],
        "pro": ["your acupuncturist", "our licensed acupuncturist"],
        "condition": ["chronic low back pain", "tension-type headache", "migraine", "knee osteoarthritis",
                      "sciatica", "chemotherapy-related nausea", "chronic neck pain"],
        "part": ["lower back", "neck", "knee", "shoulder", "forearm"],
        "term": ["the acupoint LI4", "ST36 below the knee", "SP6 above the inner ankle", "moxibustion",
                 "the deqi sensation", "meridian charts", "sterile single-use needles"],
        "credential": ["LAc", "DAOM", "LAc, MSOM"],
        "heading": ["How acupuncture is thought to work", "What the research has found", "Side effects to know about",
                    "What a visit looks like", "Who should be cautious", "How many sessions you may need"],
        "item": ["Loose clothing that rolls up above the knee and elbow", "A list of your current medicines",
                 "Any recent imaging or specialist reports", "A light meal an hour or two beforehand",
                 "Questions you want to ask about needling"],
        "local": ["The needles are sterile, single-use, and far thinner than those used for injections.",
                  "Most people feel a brief dull ache or tingling when a needle reaches the right depth.",
                  "Needles usually stay in place for fifteen to thirty minutes while you rest."],
        "tags": ["acupuncture", "pain", "headache", "back-pain", "nausea", "neck-pain"],
    },
    "chiropractic": {
        "journal": ["Journal of Integrative Spine Research", "Manual Therapy Evidence Review"],
        "therapy": ["spinal manipulation", "chiropractic care", "joint mobilization"],
        "pro": ["your chiropractor", "our chiropractic team"],
        "condition": ["acute low back pain", "neck pain", "cervicogenic headache", "mid-back stiffness",
                      "sciatica", "sacroiliac joint pain"],
        "part": ["lumbar spine", "cervical spine", "thoracic spine", "sacroiliac joint", "pelvis"],
        "term": ["radiculopathy", "the facet joints", "spondylolisthesis", "lumbar lordosis",
                 "the intervertebral disc", "a herniated disc", "the piriformis muscle"],
        "credential": ["DC", "DC, MSc"],
        "heading": ["How the spine is built", "What the evidence says", "Is spinal manipulation safe?",
                    "Your first visit", "Exercises between visits", "When to see a doctor first"],
        "item": ["Walk for ten minutes twice a day", "Change position at least every half hour",
                 "Use heat for stiffness in the morning", "Sleep on your side with a pillow between the knees",
                 "Avoid heavy lifting for the first few days"],
        "local": ["An adjustment is a quick, controlled movement of a joint, and you may hear a pop as gas is released.",
                  "Not every visit involves an adjustment; many sessions focus on soft-tissue work and exercise.",
                  "We check reflexes, strength, and sensation before any hands-on treatment."],
        "tags": ["chiropractic", "back-pain", "neck-pain", "posture", "spine"],
    },
    "physio": {
        "journal": ["Journal of Applied Physiotherapy Science", "Tendon and Joint Rehabilitation"],
        "therapy": ["physiotherapy", "a graded exercise program", "eccentric loading", "manual therapy"],
        "pro": ["your physiotherapist", "our physio team"],
        "condition": ["Achilles tendinopathy", "patellofemoral pain", "rotator cuff tendinopathy", "ankle sprain",
                      "frozen shoulder", "plantar fasciitis"],
        "part": ["ankle", "knee", "shoulder", "hip", "heel"],
        "term": ["proprioception", "the rotator cuff", "the patellar tendon", "range of motion",
                 "isometric exercises", "the plantar fascia", "load management"],
        "credential": ["PT", "DPT", "MCSP"],
        "heading": ["Why tendons get sore", "What the studies show", "Your exercise plan",
                    "Returning to sport", "What to expect at the clinic", "Common setbacks"],
        "item": ["Three sets of fifteen slow heel drops", "Single-leg balance for thirty seconds",
                 "Wall slides to the point of mild discomfort", "A short walk on flat ground each day",
                 "Ice or heat, whichever feels better"],
        "local": ["Your physiotherapist will watch how you walk, squat, and climb a step before suggesting exercises.",
                  "Mild discomfort during exercise is acceptable if it settles by the next morning.",
                  "Most plans progress the load every one or two weeks."],
        "tags": ["physiotherapy", "sports-injury", "tendons", "rehabilitation", "exercise"],
    },
    "naturopathy": {
        "journal": ["Nutrition and Naturopathic Medicine Review", "Journal of Supplement Safety"],
        "therapy": ["naturopathic care", "dietary counselling", "a Mediterranean-style diet", "magnesium supplementation"],
        "pro": ["your naturopathic doctor", "our naturopath"],
        "condition": ["poor sleep", "irritable bowel syndrome", "low energy", "mild anxiety", "high cholesterol",
                      "perimenopausal symptoms"],
        "part": ["gut", "liver", "thyroid", "digestive tract"],
        "term": ["curcumin", "ashwagandha", "probiotics", "magnesium glycinate", "omega-3 fatty acids",
                 "vitamin D", "the gut microbiome", "soluble fiber"],
        "credential": ["ND", "ND, MPH"],
        "heading": ["What naturopathic care involves", "What the research suggests", "Supplements and safety",
                    "Food first", "Working with your family doctor", "Your first consultation"],
        "item": ["Eat vegetables or fruit with every meal", "Keep a regular bedtime, even at weekends",
                 "Limit caffeine after midday", "Bring every supplement bottle to your visit",
                 "Ask your pharmacist about interactions"],
        "local": ["We review your diet, sleep, and stress alongside any blood tests your doctor has ordered.",
                  "Supplements can interact with prescription medicines, so we check every product you take.",
                  "Herbal products vary in strength from brand to brand."],
        "tags": ["naturopathy", "nutrition", "sleep", "supplements", "digestion"],
    },
    "dental": {
        "journal": ["Clinical Oral Health Reports", "Periodontal Practice Quarterly"],
        "therapy": ["professional cleaning", "scaling and root planing", "fluoride varnish", "fissure sealants"],
        "pro": ["your dentist", "our hygienist"],
        "condition": ["gingivitis", "periodontitis", "tooth decay", "dentin hypersensitivity", "bad breath",
                      "bleeding gums"],
        "part": ["gums", "enamel", "molars", "gum line", "jaw"],
        "term": ["plaque", "tartar", "the periodontal ligament", "malocclusion", "interdental brushes",
                 "chlorhexidine mouthwash", "bitewing radiographs"],
        "credential": ["DDS", "DMD", "RDH"],
        "heading": ["Why gums bleed", "What the evidence shows", "Cleaning between your teeth",
                    "At the dental clinic", "Children and fluoride", "When to book an urgent visit"],
        "item": ["Brush twice a day for two minutes", "Clean between your teeth once a day",
                 "Spit, do not rinse, after brushing", "Replace your brush every three months",
                 "Limit sugary drinks between meals"],
        "local": ["Brush twice a day for two minutes with a fluoride toothpaste and clean between your teeth once a day.",
                  "Bleeding when you brush is often the first sign of gum inflammation.",
                  "A hygienist visit usually takes about forty-five minutes."],
        "tags": ["dental", "gum-health", "oral-hygiene", "children", "prevention"],
    },
    "dermatology": {
        "journal": ["Skin Barrier Research", "Northfield Journal of Dermatology"],
        "therapy": ["emollient therapy", "topical corticosteroids", "narrowband phototherapy", "wet wrap therapy"],
        "pro": ["your dermatologist", "our skin clinic team"],
        "condition": ["atopic dermatitis", "eczema", "psoriasis", "acne", "rosacea", "seborrheic dermatitis"],
        "part": ["skin barrier", "scalp", "hands", "face", "elbows"],
        "term": ["keratinocytes", "ceramides", "the stratum corneum", "calcineurin inhibitors",
                 "transepidermal water loss", "patch testing", "the fingertip unit"],
        "credential": ["MD, FAAD", "MBBS", "NP"],
        "heading": ["How the skin barrier works", "What trials have found", "Using creams and ointments",
                    "Triggers to watch for", "Your appointment", "When to get help quickly"],
        "item": ["Use lukewarm water and keep baths short", "Pat the skin dry rather than rubbing",
                 "Apply moisturizer within three minutes of bathing", "Choose fragrance-free products",
                 "Wear cotton next to the skin"],
        "local": ["Apply emollients generously and often, ideally within a few minutes of bathing.",
                  "One fingertip unit of cream covers an area about the size of two adult palms.",
                  "Flares are common in winter, when indoor heating dries the air."],
        "tags": ["dermatology", "eczema", "skin-care", "psoriasis", "acne"],
    },
}

INTRO = [
    "In this article we explain what {therapy} involves, what the research says about {condition}, and what to expect at a first visit.",
    "{Condition} is one of the most common reasons people contact our {category} clinic.",
    "This guide covers how {therapy} is used for {condition}, what studies have found, and where the evidence runs out.",
    "If you live with {condition}, you have probably heard many different opinions about {therapy}.",
]

NEUTRAL = [
    "{Pro} will start by asking about your symptoms, your medical history, and any medicines you take.",
    "Most first appointments last between forty-five and sixty minutes.",
    "We use plain language and will always explain a technique before we begin.",
    "The {part} is a common place for problems to show up, especially after long periods of sitting.",
    "You may hear {pro} mention {term} during your assessment.",
    "Bring a list of your current medicines, including supplements and anything bought over the counter.",
    "Tell us if you are pregnant, take blood thinners, or have a pacemaker, so that we can adapt your care.",
    "Progress is reviewed at every visit, and we change the plan if it is not helping.",
    "Many people combine {therapy} with advice from their family doctor.",
    "Symptoms of {condition} can vary from day to day, which makes a simple diary useful.",
    "Seek prompt medical care if {condition} comes with fever, unexplained weight loss, or sudden weakness.",
    "Research on {term} is still developing, and we will tell you when the evidence is thin.",
    "A typical plan starts with one or two visits a week for the first {weeks} weeks.",
    "We keep careful notes so that any clinician on our team can pick up where the last one left off.",
    "Fees and insurance coverage vary, so please ask our front desk before booking.",
    "Some people notice changes quickly, while others need several sessions before deciding whether to continue.",
    "Good sleep, regular movement, and a balanced diet all matter alongside any treatment.",
    "We will explain where {term} fits into your plan and answer any questions you have.",
    "If something feels wrong during a session, say so and we will stop straight away.",
]

# Claims that need a source; the marker is attached by the article's citation style.
CITED = [
    "Randomized trials found that {therapy} reduced {condition} symptoms more than usual care, although the average difference was modest",
    "A systematic review reported small improvements in daily function for people with {condition} who received {therapy}",
    "Compared with a sham procedure, the extra benefit of {therapy} was smaller and seen mainly in the short term",
    "Serious adverse events after {therapy} appear to be rare in large surveys of routine practice",
    "Clinical practice guidelines list {therapy} among the options that may be considered for {condition}",
    "In one trial, people with {condition} who added {therapy} to usual care reported less pain after {weeks} weeks",
    "Observational studies suggest that {term} may be linked to {condition}, but such studies cannot show cause and effect",
    "The benefits reported for {therapy} tended to fade within six to twelve months",
]

UNCITED = [
    "{Therapy} relieves {condition} in most patients.",
    "{Therapy} reduces inflammation in the {part}.",
    "Regular sessions improve circulation and speed up healing.",
    "{Therapy} lowers stress hormones and helps you sleep better.",
    "Studies show that {therapy} is effective for {condition}.",
    "People who try {therapy} recover faster than those who rest.",
]

PROHIBITED = [
    "{Therapy} cures {condition} for good.",
    "Our treatment is guaranteed to work, or your money back.",
    "{Therapy} is 100% safe and has no side effects.",
    "{Therapy} boosts your immune system and prevents infections.",
    "This program detoxes your body and flushes out toxins.",
    "You can stop taking your prescribed medication once you start {therapy}.",
    "{Therapy} can reverse {condition} without drugs or surgery.",
    "It is a miracle treatment that works for everyone.",
]

CONFUSIONS = [
    "In one small trial, {therapy} was as least as helpful as a course of exercise.",
    "Its not unusual to feel tired after a session.",
    "For many people the stiffness is worse in the morning then in the evening.",
    "Results from a larger clinical trail are expected next year.",
    "Stress and poor sleep can effect how strongly you feel pain.",
    "Some people want to loose weight before they start a new exercise plan.",
    "Changes in bowl habits that last more than a few weeks should be checked by your doctor.",
    "Men over fifty should ask their doctor about prostrate checks.",
]

# (correct word, typo, a sentence that carries the word): the typo is applied to this sentence only.
TYPOS = [
    ("tissue", "tisuse", "Soft tissue around the {part} can stay tender for a day or two."),
    ("sciatica", "sciatca", "Pain that runs down the back of the leg is often called sciatica."),
    ("inflammation", "inflamation", "Some swelling and inflammation after a strain is a normal part of healing."),
    ("exercise", "excercise", "Gentle exercise between visits helps you keep the gains you make in the clinic."),
    ("receive", "recieve", "You will receive a written plan after your first visit."),
    ("appointment", "appointmnet", "Please arrive ten minutes before your first appointment."),
    ("symptoms", "symtoms", "Keep a short diary of your symptoms between visits."),
    ("muscles", "muscels", "The muscles around the {part} often tighten to protect a sore area."),
    ("recommend", "reccomend", "We recommend loose, comfortable clothing for every session."),
    ("separate", "seperate", "Children are seen in a separate room with a parent present."),
]

LINKS = [
    "You can [book online](https://example-clinic.test/book) at any time, or call the clinic if you have questions first.",
    "Read more about our [{category} team](https://example-clinic.test/{category}/team) and their training.",
    "The [NCCIH](https://www.nccih.nih.gov/health) publishes plain-language summaries of the research.",
    "Our [patient guide](https://example-clinic.test/guides/{category}) explains fees, cancellations, and parking.",
]

TITLES = [
    "{Therapy} for {Condition}: What the Evidence Says",
    "What to Expect from {Therapy} for {Condition}",
    "{Condition}: How {Therapy} May Help",
    "A Plain-Language Guide to {Condition}",
    "Managing {Condition} with {Therapy}",
    "Questions and Answers About {Therapy}",
]

REFERENCE_TITLES = [
    "{Therapy} for {condition}: a systematic review and meta-analysis",
    "{Therapy} versus usual care for {condition}: a randomized controlled trial",
    "Adverse events after {therapy} in routine practice: a prospective cohort study",
    "Long-term outcomes of {therapy} in adults with {condition}: a pragmatic trial",
    "Patient-reported outcomes of {therapy} for {condition}: a cohort study",
]

# Shared by every specialty, next to each specialty's own journals.
JOURNALS = ["Northfield Review of Pain Medicine", "Journal of Complementary Care Safety", "Primary Care Evidence Digest"]

SURNAMES = [
    "Harlow", "Mensah", "Vidal", "Okafor", "Lindqvist", "Brenner", "Castillo", "Yoon", "Whitaker", "Tanaka",
    "Morales", "Brooks", "Natarajan", "Fischer", "Kowalski", "Adeyemi", "Haddad", "Nakamura", "O'Brien",
    "Petrov", "Silva", "Johansson", "Reyes", "Dubois", "Chen", "Kaur", "Novak", "Moreau", "Abara", "Lund",
]
GIVEN = [
    "Lena", "Samuel", "Priya", "Daniel", "Amara", "Jonas", "Mei", "Carlos", "Hannah", "Tomas", "Aisha",
    "Oliver", "Ruth", "Kenji", "Fatima", "Marcus", "Elena", "Noah", "Ines", "Victor",
]

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "for", "of", "the", "to", "with", "in", "on"}
    words = text.split(" ")
    return " ".join(w if (i and w in small) or w[:1].isupper() else _cap(w) for i, w in enumerate(words))


def _slugify(text: str) -> str:
    out = []
    dash = False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def _marker(style: str, labels: list[int], refs: list[tuple[str, int]]) -> tuple[str, str]:
    """(text before the full stop, text after it) for one citation in ``style``."""
    if style == "superscript":
        if len(labels) > 2:
            text = f"{labels[0]}⁻{labels[-1]}"
        else:
            text = ",".join(str(n) for n in labels)
        return "", text.translate(_SUPERSCRIPT)
    if style == "bracket":
        inner = f"{labels[0]}–{labels[-1]}" if len(labels) > 2 else ", ".join(str(n) for n in labels)
        return f" [{inner}]", ""
    if style == "footnote":
        return "", "".join(f"[^{n}]" for n in labels)
    surname, year = refs[labels[0] - 1]
    return f" ({surname} et al., {year})", ""


def _reference(rng: random.Random, slots: dict[str, str], journals: list[str], year: int) -> tuple[str, str]:
    surnames = rng.sample(SURNAMES, rng.randint(2, 4))
    authors = ", ".join(f"{s} {rng.choice('ABCDEHJKLMNPRST')}" for s in surnames)
    title = _cap(rng.choice(REFERENCE_TITLES).format_map(slots))
    volume, issue, first = rng.randint(3, 40), rng.randint(1, 12), rng.randint(10, 400)
    doi = f"10.5555/cp.{year}.{rng.randint(1, 9999):04d}"
    kind = rng.random()
    if kind < 0.4:
        ident = f"doi:{doi}"
    elif kind < 0.65:
        ident = f"https://doi.org/{doi}"
    elif kind < 0.9:
        ident = f"PMID: {rng.randint(10_000_000, 39_999_999)}"
    else:
        ident = f"doi:{doi}. PMID: {rng.randint(10_000_000, 39_999_999)}"
    text = (f"{authors}. {title}. *{rng.choice(journals)}*. {year};{volume}({issue}):"
            f"{first}-{first + rng.randint(6, 20)}. {ident}")
    return text, surnames[0]


def article(seed: int, index: int) -> tuple[str, str]:
    """(relative path, text) of article ``index``; depends only on (seed, index)."""
    rng = random.Random(seed * 1_000_003 + index)
    category = list(SPECIALTIES)[index % len(SPECIALTIES)]
    bank = SPECIALTIES[category]
    choice = rng.choice
    therapy, condition = choice(bank["therapy"]), choice(bank["condition"])
    slots = {
        "therapy": therapy, "Therapy": _cap(therapy), "condition": condition, "Condition": _title_case(condition),
        "pro": choice(bank["pro"]), "Pro": _cap(choice(bank["pro"])), "part": choice(bank["part"]),
        "term": choice(bank["term"]), "weeks": choice(["four", "six", "eight"]), "category": category,
    }

    def fill(template: str) -> str:
        slots["term"] = choice(bank["term"])  # vary the vocabulary within an article
        return template.format_map(slots)

    title = _title_case(choice(TITLES).format_map({**slots, "Therapy": _title_case(therapy)}))
    slug = f"{_slugify(title)}-{index:06d}"
    reviewed = 738_886 + rng.randint(0, 900)  # ordinal of 2024-01-01, plus up to ~2.5 years
    style = rng.choices(["superscript", "bracket", "footnote", "author-year"], [40, 30, 20, 10])[0]
    n_refs = rng.randint(3, 5)
    years = [rng.randint(2012, 2025) for _ in range(n_refs)]
    journals = bank["journal"] + JOURNALS
    refs = [_reference(rng, slots, journals, year) for year in years]
    ref_keys = [(surname, year) for (_, surname), year in zip(refs, years)]

    cite_count = 0

    def cited() -> str:
        nonlocal cite_count
        first = cite_count % n_refs + 1
        cite_count += 1
        shape = rng.random()
        if shape < 0.65 or style == "author-year":
            labels = [first]
        elif shape < 0.85 and first < n_refs:
            labels = [first, first + 1]
        else:
            labels = list(range(1, min(3, n_refs) + 1))
        before, after = _marker(style, labels, ref_keys)
        return f"{fill(cited_pool.pop())}{before}.{after}"

    # Drawn without replacement so that no article repeats itself.
    neutral_pool = [fill(t) for t in rng.sample(NEUTRAL, 6)]
    cited_pool = rng.sample(CITED, 4)

    def neutral(k: int) -> list[str]:
        return [neutral_pool.pop() for _ in range(k)]

    extra: list[str] = []
    roll = rng.random()
    if roll < 0.35:
        extra.append(fill(choice(UNCITED)))
    if rng.random() < 0.12:
        extra.append(fill(choice(PROHIBITED)))
    if rng.random() < 0.15:
        extra.append(fill(choice(CONFUSIONS)))
    if rng.random() < 0.2:
        for correct, typo, carrier in rng.sample(TYPOS, rng.randint(1, 2)):
            extra.append(fill(carrier).replace(correct, typo, 1))

    headings = rng.sample(bank["heading"], 3)
    local = rng.sample(bank["local"], 2)
    paragraphs = [
        [fill(choice(INTRO)), *neutral(1), local[0]],
        [cited(), cited(), *neutral(1), cited()],
        [local[1], *neutral(2), cited()],
    ]
    for sentence in extra:  # scatter the planted problems through the body
        paragraphs[rng.randrange(3)].insert(rng.randint(0, 2), sentence)

    status = "approved" if rng.random() < 0.85 else choice(["draft", "in-review"])
    fm = [
        "---",
        f'title: "{title}"',
        f"slug: {slug}",
        f"description: A plain-language overview of {therapy} for {condition}, what studies have found, "
        "and what happens at a first visit.",
        f"author: {choice(GIVEN)} {choice(SURNAMES)}, {choice(bank['credential'])}",
        f"medical_reviewer: {choice(GIVEN)} {choice(SURNAMES)}, MD",
        f"reviewed_on: {_iso(reviewed)}",
        f"status: {status}",
    ]
    if status == "approved":
        fm += [f"approved_by: {choice(GIVEN)} {choice(SURNAMES)}", f"approved_on: {_iso(reviewed + rng.randint(1, 10))}"]
    fm.append("tags:")
    fm += [f"  - {t}" for t in rng.sample(bank["tags"], rng.randint(2, 3))]
    fm += ["categories:", f"  - {category}", "---", ""]

    body = [" ".join(paragraphs[0]), ""]
    body += [f"## {headings[0]}", "", " ".join(paragraphs[1]), ""]
    body += [f"## {headings[1]}", "", " ".join(paragraphs[2]), ""]
    body += [f"### {choice(['What to bring', 'Simple steps at home', 'Before your visit'])}", ""]
    body += [f"- {item}" for item in rng.sample(bank["item"], rng.randint(3, 4))]
    body += ["", f"## {headings[2]}", "", f"{neutral(1)[0]} {fill(choice(LINKS))}", ""]
    if rng.random() < 0.9:
        body += [DISCLAIMER, ""]
    body += ["## References", ""]
    if style == "footnote":
        body += [f"[^{n}]: {text}" for n, (text, _) in enumerate(refs, 1)]
    elif style == "author-year":
        body += [f"- {text}" for text, _ in refs]
    else:
        body += [f"{n}. {text}" for n, (text, _) in enumerate(refs, 1)]
    body.append("")
    return f"{category}/{slug}.md", "\n".join(fm + body)


@functools.lru_cache(maxsize=None)
def _iso(ordinal: int) -> str:
    return datetime.date.fromordinal(ordinal).isoformat()


def generate(out_dir: Path, count: int, seed: int) -> int:
    """Write ``count`` articles under ``out_dir``; returns the bytes written."""
    for category in SPECIALTIES:
        (out_dir / category).mkdir(parents=True, exist_ok=True)
    base = os.fspath(out_dir)
    total = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for index in range(count):
        relative, text = article(seed, index)
        data = text.encode()
        # Raw os calls: at 100,000 files the buffered-file machinery of open() is a visible cost.
        fd = os.open(f"{base}/{relative}", flags, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    total = generate(args.out_dir, args.count, args.seed)
    elapsed = time.perf_counter() - start
    print(f"wrote {args.count} articles ({total / 1e6:.1f} MB, {total / max(args.count, 1):.0f} B each) "
          f"to {args.out_dir} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
