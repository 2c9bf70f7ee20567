"""The glossary page as a learner meets it (issue 14): the top bar's "Glossary" link opens
/glossary with the learner kept, a term's anchor brings that term into view, the page fetches
nothing from another host, logs no error, and axe-core finds nothing serious on it."""

from __future__ import annotations

from browser_support import axe_violations, describe_violations, expect

from npkit.course.training.glossary import glossary


def test_the_top_bar_opens_the_glossary_with_the_learner_kept(site, visit, learner):
    v = visit()
    v.page.goto(site.url("/", learner=learner))
    bar = v.page.get_by_role("navigation", name="Course")
    bar.get_by_role("link", name="Glossary").click()
    expect(v.page.get_by_role("heading", name="Glossary", level=1)).to_be_visible()
    assert v.page.url.split("?")[0] == site.url("/glossary")
    assert f"learner={learner}" in v.page.url  # "All modules" leads back to the same learner
    expect(v.page.get_by_role("navigation", name="Course").get_by_role(
        "link", name="All modules")).to_have_attribute("href", f"/?learner={learner}")
    assert not v.problems(), v.problems()


def test_a_term_link_shows_that_term_and_the_page_is_axe_clean(site, visit):
    entries = glossary()
    v = visit(viewport={"width": 390, "height": 844})
    v.page.goto(site.url("/glossary") + "#duress")
    term = v.page.locator("#duress")
    expect(term.get_by_role("heading", name="Duress")).to_be_in_viewport()
    expect(term).to_contain_text("Fitzgerald 2024, V.A")
    assert v.page.locator(".npk-term").count() == len(entries)
    v.page.get_by_role("navigation", name="All terms").get_by_role(
        "link", name="Causation", exact=True).click()
    expect(v.page.locator("#causation h2")).to_be_in_viewport()
    found = axe_violations(v.page)
    assert not found, f"/glossary: axe-core found:\n{describe_violations(found)}"
    assert not v.problems(), v.problems()
