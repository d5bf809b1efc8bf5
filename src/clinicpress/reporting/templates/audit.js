/* Filters and sorting for the claim audit. The page is complete without this script (every
   claim is shown); the controls stay hidden unless it runs. It never writes markup: all text it
   shows goes through textContent, so nothing from an article or the search box becomes HTML. */
(function () {
  "use strict";
  var form = document.getElementById("controls");
  var list = document.getElementById("article-list");
  if (!form || !list) {
    return;
  }
  var fields = form.elements;
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var STATUSES = ["prohibited", "unsupported", "dangling", "supported"];
  var toArray = function (nodes) { return Array.prototype.slice.call(nodes); };

  // Read once: the filters run on every keystroke in the search box.
  var articles = toArray(list.querySelectorAll(".article")).map(function (element) {
    var claims = toArray(element.querySelectorAll(".claim")).map(function (claim) {
      return {
        element: claim,
        status: claim.getAttribute("data-status"),
        kinds: (claim.getAttribute("data-kinds") || "").split(" "),
        line: Number(claim.getAttribute("data-line")),
        column: Number(claim.getAttribute("data-column")),
        rank: Number(claim.getAttribute("data-rank")),
        order: Number(claim.getAttribute("data-order")),
        text: claim.textContent.toLowerCase()
      };
    });
    return {
      element: element,
      id: element.getAttribute("data-article"),
      order: Number(element.getAttribute("data-order")),
      worst: Number(element.getAttribute("data-worst")),
      needs: Number(element.getAttribute("data-needs")),
      title: element.querySelector(".article-title").textContent.trim(),
      path: element.querySelector(".article-path").textContent.trim(),
      head: element.querySelector(".article-head").textContent.toLowerCase(),
      counter: element.querySelector(".claim-count"),
      list: element.querySelector(".claims"),
      claims: claims
    };
  });
  var totalClaims = articles.reduce(function (n, a) { return n + a.claims.length; }, 0);

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function selectedLabel(select) {
    return select.options[select.selectedIndex].textContent.replace(/\s*\(\d+\)$/, "");
  }

  function apply() {
    var status = fields.status.value;
    var kind = fields.kind.value;
    var only = fields.article.value;
    var query = fields.q.value.trim().toLowerCase();
    var claimFilter = Boolean(status || kind || query);
    var visibleClaims = 0;
    var visibleArticles = 0;
    var counts = {};

    articles.forEach(function (article) {
      var inArticle = !only || article.id === only;
      var headMatch = Boolean(query) && article.head.indexOf(query) !== -1;
      var n = 0;
      article.claims.forEach(function (claim) {
        var show = inArticle &&
          (!status || claim.status === status) &&
          (!kind || claim.kinds.indexOf(kind) !== -1) &&
          (!query || headMatch || claim.text.indexOf(query) !== -1);
        claim.element.hidden = !show;
        if (show) {
          n += 1;
          counts[claim.status] = (counts[claim.status] || 0) + 1;
        }
      });
      // An article with nothing left to show is noise, unless it is what was asked for by name.
      var showArticle = inArticle && (!claimFilter || n > 0 || (headMatch && !status && !kind));
      article.element.hidden = !showArticle;
      if (article.counter) {
        article.counter.textContent = claimFilter
          ? "(" + n + " of " + article.claims.length + " shown)"
          : "(" + article.claims.length + ")";
      }
      if (showArticle) {
        visibleArticles += 1;
      }
      visibleClaims += n;
    });

    // While looking for claims, the per-article checks below them are noise.
    list.classList.toggle("filtering-claims", claimFilter);
    describe(visibleClaims, visibleArticles, counts, claimFilter, [
      status && "status " + status,
      kind && "kind " + selectedLabel(fields.kind).toLowerCase(),
      only && "article \u201c" + selectedLabel(fields.article) + "\u201d",
      query && "search \u201c" + fields.q.value.trim() + "\u201d"
    ].filter(Boolean));
    noMatch.hidden = visibleArticles > 0;
  }

  function describe(visibleClaims, visibleArticles, counts, claimFilter, filters) {
    var parts = [];
    var strong = function (text) {
      var element = document.createElement("strong");
      element.textContent = text;
      return element;
    };
    parts.push("Showing ", strong(String(visibleClaims)), " of " + plural(totalClaims, "claim", "claims") + " in ",
      strong(String(visibleArticles)), " of " + plural(articles.length, "article", "articles"));
    var byStatus = STATUSES.filter(function (s) { return counts[s]; })
      .map(function (s) { return counts[s] + " " + s; });
    if (byStatus.length) {
      parts.push(": " + byStatus.join(", "));
    }
    parts.push(".");
    if (filters.length) {
      parts.push(" Filtered by " + filters.join("; ") + ".");
    }
    if (claimFilter) {
      parts.push(" Disclaimers, front matter and spelling are hidden while claims are filtered.");
    }
    shown.textContent = "";
    parts.forEach(function (part) {
      shown.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
  }

  function byPosition(a, b) {
    return (a.line - b.line) || (a.column - b.column) || (a.order - b.order);
  }

  function sort() {
    var how = fields.sort.value;
    var ordered = articles.slice().sort(function (a, b) {
      if (how === "severity") {
        return (b.worst - a.worst) || (b.needs - a.needs) || (a.order - b.order);
      }
      if (how === "title") {
        return a.title.localeCompare(b.title) || (a.order - b.order);
      }
      return a.path.localeCompare(b.path) || (a.order - b.order);
    });
    ordered.forEach(function (article) {
      list.appendChild(article.element);
      if (!article.list) {
        return;
      }
      article.claims.slice().sort(function (a, b) {
        return how === "severity" ? (b.rank - a.rank) || byPosition(a, b) : byPosition(a, b);
      }).forEach(function (claim) {
        article.list.appendChild(claim.element);
      });
    });
  }

  function reset() {
    fields.status.value = "";
    fields.kind.value = "";
    fields.article.value = "";
    fields.q.value = "";
    fields.sort.value = "path";
    sort();
    apply();
  }

  // A link from the summary to a claim the filters hide would go nowhere: show everything first.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.closest("#article-list") && (target.hidden || target.closest("[hidden]"))) {
      reset();
      target.scrollIntoView();
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    reset();
  });
  form.addEventListener("change", function (event) {
    if (event.target === fields.sort) {
      sort();
    } else {
      apply();
    }
  });
  fields.q.addEventListener("input", apply);
  window.addEventListener("hashchange", reveal);
  window.addEventListener("beforeprint", function () {
    toArray(document.querySelectorAll("details")).forEach(function (details) { details.open = true; });
  });

  form.hidden = false;
  document.documentElement.classList.add("has-controls");
  apply();
})();
