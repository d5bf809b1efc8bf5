"""One module per KIND of check. Each takes a Document and the prepared rules of its kind and
returns Findings. The registry is a plain dict (principle 4)."""

from __future__ import annotations

from clinicpress.checks import claims, disclaimers, front_matter, spelling, substitution
from clinicpress.checks.kind import CheckContext, CheckKind, finding_at
from clinicpress.rulebook.options import OptionSchema

CHECKS: dict[str, CheckKind] = {
    kind.name: kind
    # claims before disclaimer: the disclaimer check reads where the testimonials are.
    for kind in (spelling.KIND, substitution.KIND, claims.KIND, disclaimers.KIND, front_matter.KIND)
}


def option_schemas() -> dict[str, OptionSchema]:
    return {name: kind.schema for name, kind in CHECKS.items()}


__all__ = ["CHECKS", "CheckContext", "CheckKind", "finding_at", "option_schemas"]
