"""Duress: the general criminal defence prosecutors reach for, and why it fails most victims.

Fitzgerald 2024 V.A lists four conditions that duress typically requires, drawn from a general
theory of criminal law rather than from one legal system: (1) an imminent threat of death or
serious harm; (2) no reasonable opportunity to escape; (3) the harm threatened is at least the
harm caused; (4) no voluntary exposure to the risk of such compulsion. Each variant below says
how npkit applies them, and which parts of it the sources state:

- England & Wales: the sources name only *R v LM* (reported through Knight 2023): a direct
  threat of death or serious injury to the defendant or someone sufficiently close, and no
  duress for one who voluntarily associated with people who might compel them. Proportionality
  is the general V.A condition as npkit applies it; the murder bar (*R v Howe*) is outside law.
- Malaysia: the sources quote *Mohamed Yusof bin Haji Ahmad v PP* (fear, at the very time, of
  instant death; threats that could be carried out then and there). Penal Code s 94, its
  "to that person" limit, its voluntary-exposure bar and its murder bar are outside law.
- Rome Statute art 31(1)(d): the international-criminal-law analogue, shown for comparison;
  a domestic court trying a scam-fraud charge does not apply it.

Every reason carries a code worded in ``npkit/law/data/wording/duress.yaml``; every node names the
reason that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import Citation, Confidence, fitz, outside, reading
from npkit.law.facts import Facts, ThreatFact
from npkit.law.parameters import parameter
from npkit.law.registry import Exception_, Rule
from npkit.law.vocabulary import Harm
from npkit.law.wording import Words, joined, label, term, worded

CONDITIONS = ("imminent_threat", "no_escape", "proportionate", "no_voluntary_exposure")
TITLES = {
    "imminent_threat": "Imminent threat",
    "no_escape": "No reasonable escape",
    "proportionate": "Proportionality",
    "no_voluntary_exposure": "No voluntary exposure",
}

# Threatened harm and caused harm on one scale: harm to life or body outweighs harm to property
# (Fitzgerald 2024 V.B.2 on John). Unknown terms count as no harm rather than failing. Where a
# beating, a loss of liberty or harm to others sits on this scale is npkit's ranking (RANKING):
# a beating is bodily harm short of serious injury; depriving someone of liberty weighs more
# than bodily harm and less than serious bodily harm; diffuse harm to others' health or safety
# weighs more than any property loss and less than bodily harm to someone identified.
# The scale itself is data (npkit/law/data/parameters.yaml), cited there.
SCALE = ("duress.threat_rank", "duress.harm_rank")
THREAT_RANK = parameter("duress.threat_rank")
HARM_RANK = parameter("duress.harm_rank")
RANKED_BY_NPKIT = frozenset({"beating", "loss_of_liberty", "harm_to_others"})

# --- citations --------------------------------------------------------------------------------
GENERAL = fitz("V.A")  # the four conditions, from general theory (Wilson), not one system
ESCAPE = fitz("V.B.1", "Kremnitzer")  # the escape condition itself is V.A (2)
R_V_LM = "R v LM (Court of Appeal of England and Wales, cited through Knight 2023)"
LM_THREAT = fitz("V.B.1", R_V_LM, Confidence.SECONDARY)
LM_ASSOCIATION = fitz("V.B.2", R_V_LM, Confidence.SECONDARY)
WITNESSED = fitz("V.B.1")
# Fitzgerald V.B.1 quotes Simester and Sullivan: nothing short of threats of death, serious harm
# or rape is coercive enough in law.
BELOW_SERIOUS = fitz("V.B.1", "Simester and Sullivan's Criminal Law (7th edn)",
                     Confidence.SECONDARY)
CLOSE_ELSEWHERE = reading("England & Wales: R v LM's 'someone sufficiently close' read as a tie of "
                          "relationship, not of place, so close family elsewhere count when harm "
                          "to them could follow at once")
RANKING = reading("where a beating, a loss of liberty and harm to others' health or safety sit "
                  "among the harms weighed (the sources rank only life and body above property)")
YUSOF = fitz("V.B.1", "Mohamed Yusof bin Haji Ahmad v Public Prosecutor [1983] 2 MLJ 167",
             Confidence.SECONDARY)
ROME = fitz("V.A", "Rome Statute art 31(1)(d)", Confidence.SECONDARY)
ONGWEN = fitz("V.A", "Prosecutor v Dominic Ongwen (ICC Trial Chamber, 2021)",
              Confidence.SECONDARY)
HOWE = outside("R v Howe [1987] AC 417", "duress unavailable for murder in England & Wales")
S94 = outside("Penal Code s 94 (Malaysia)",
              "the Malaysian statutory defence the Mohamed Yusof test belongs to")
S94_PERSON = outside("Penal Code s 94 (Malaysia)", "the threat must be to the person who acts")
S94_MURDER = outside("Penal Code s 94 (Malaysia)",
                     "murder (and offences against the State punishable with death) excluded")
S94_EXPOSURE = outside("Penal Code s 94 (Malaysia), Explanation 1",
                       "no defence for one who of their own accord joined those who compel")
EW_PROPORTION = reading("England & Wales: npkit applies the general proportionality condition "
                        "of Fitzgerald 2024 V.A; the sources state no English rule on it")
ROME_INTENT = reading("Rome Statute art 31(1)(d): no fact records intent, so npkit takes the "
                      "person to intend the harm their deliberate offence causes")
ROME_NECESSARY = reading("Rome Statute art 31(1)(d): acting 'necessarily and reasonably' read "
                         "as having no reasonable way out")
# The Statute's scope (crimes within the ICC's jurisdiction) is not in the sources.
ROME_ANALOGUE = outside("Rome Statute arts 5 and 31(1)",
                        "its defences apply to crimes within the ICC's jurisdiction, so a "
                        "domestic court trying a scam-fraud charge does not apply art 31(1)(d)")


@dataclass(frozen=True, slots=True)
class Variant:
    id: str
    title: str
    citation: Citation  # the authority the variant's threat test comes from
    # which (severity, imminence) pairs count as an imminent threat
    qualifying: frozenset[tuple[str, str]]
    targets: frozenset[str]
    required: frozenset[str]
    excluded_offences: frozenset[str]
    target_cite: Citation  # the authority for who must be threatened
    exposure_cite: Citation  # the authority for the voluntary-exposure bar
    exclusion_cite: Citation | None = None  # the authority for the excluded offences
    short: str = ""  # the variant's label in tables and widgets
    # False for international criminal law: shown as an analogue, never as a defence a
    # domestic court trying a scam-fraud charge applies
    domestic: bool = True


VARIANTS: dict[str, Variant] = {
    v.id: v
    for v in (
        Variant(
            "england_wales", "England & Wales (R v LM)", LM_THREAT,
            frozenset({("death", "imminent"), ("serious_harm", "imminent")}),
            frozenset({"self", "close_person", "close_family_elsewhere", "family_far_away"}),
            frozenset(CONDITIONS), frozenset({"murder"}),
            LM_THREAT, LM_ASSOCIATION, HOWE, short="England & Wales",
        ),
        Variant(
            "malaysia", "Malaysia (Mohamed Yusof)", YUSOF,
            frozenset({("death", "imminent")}),
            frozenset({"self"}),
            frozenset({"imminent_threat", "no_escape", "no_voluntary_exposure"}),
            frozenset({"murder"}),
            S94_PERSON, S94_EXPOSURE, S94_MURDER, short="Malaysia",
        ),
        Variant(
            "rome_statute", "Rome Statute art 31(1)(d) (international analogue)", ROME,
            frozenset({("death", "imminent"), ("serious_harm", "imminent"),
                       ("serious_harm", "continuing")}),
            frozenset({"self", "close_person", "close_family_elsewhere", "family_far_away",
                       "other_person"}),
            frozenset({"imminent_threat", "no_escape", "proportionate"}),
            frozenset(),
            ROME, GENERAL, short="Rome Statute", domestic=False,
        ),
    )
}


_WORDS = {"self": "the person", "unspecified": "unspecified harm", "beating": "a beating"}


def _words(key: str) -> Words:
    return label(_WORDS[key]) if key in _WORDS else term(key)


def describe(t: ThreatFact) -> Words:
    """"death to the person (imminent)", "serious harm to family far away (remote)"."""
    return worded("phrase.threat", severity=_words(t.severity), target=_words(t.target),
                  imminence=_words(t.imminence))


def _or(terms: set[str]) -> Words:
    return joined((_words(t) for t in sorted(terms)), "or")


# --- the four conditions ----------------------------------------------------------------------


def _threat_failures(t: ThreatFact, v: Variant) -> list[Reason]:
    """Why one threat does not qualify: one reason per failing aspect (imminence, severity,
    target), each cited to the authority for that aspect."""
    out = []
    threat = describe(t)
    severities = {sev for sev, _ in v.qualifying}
    imminences = {i for sev, i in v.qualifying if sev == t.severity} or {
        i for _, i in v.qualifying}
    if t.imminence not in imminences:
        cite = ONGWEN if v.id == "rome_statute" else (
            YUSOF if v.id == "malaysia" else fitz("V.A; V.B.1"))
        out.append(Reason.of("duress.imminent_threat.not_imminent", cite, threat=threat,
                             imminence=_words(t.imminence), needed=_or(imminences)))
    if t.severity == "beating" and "beating" not in severities:
        out.append(Reason.of("duress.imminent_threat.beating", BELOW_SERIOUS, threat=threat,
                             needed=_or(severities)))
    elif t.severity not in severities:
        out.append(Reason.of("duress.imminent_threat.too_light", v.citation, threat=threat,
                             severity=_words(t.severity), needed=_or(severities)))
    if t.target not in v.targets:
        out.append(Reason.of("duress.imminent_threat.not_aimed", v.target_cite, threat=threat,
                             target=_words(t.target)))
    return out


def imminent_threat(f: Facts, v: Variant) -> Finding:
    """An imminent threat of death or serious harm, aimed at someone the variant protects."""
    test = f"duress.{v.id}.imminent_threat"
    rule = Reason.of(f"duress.{v.id}.threat_rule", v.citation)
    present = f.committed == "during"  # threats belong to the trafficking period
    good = [t for t in f.threats if (t.severity, t.imminence) in v.qualifying
            and t.target in v.targets] if present else []
    reasons, also = [rule], []
    if good:
        decisive = Reason.of("duress.imminent_threat.met", v.citation, threat=describe(good[0]))
        reasons.append(decisive)
        if v.id == "england_wales" and all(t.target == "close_family_elsewhere" for t in good):
            # met only through family who were not there: the outcome rests on that reading
            also.append(Reason.of("duress.imminent_threat.close_family_elsewhere",
                                  CLOSE_ELSEWHERE))
            reasons.append(also[-1])
    elif not present and f.threats:
        decisive = Reason.of("duress.imminent_threat.outside_period",
                             YUSOF if v.id == "malaysia" else GENERAL, committed=term(f.committed))
        reasons.append(decisive)
    elif not f.threats:
        decisive = Reason.of("duress.imminent_threat.no_threat", v.citation)
        reasons.append(decisive)
    else:
        per_threat = [_threat_failures(t, v) for t in f.threats]
        for failures in per_threat:
            reasons += failures
        # A threat that fails only on a caveated limit (outside law, npkit's reading) makes the
        # outcome rest on that limit: it decides, and its mark shows at the outcome.
        caveated = [fs for fs in per_threat if all(r.mark for r in fs)]
        decisive = caveated[0][0] if caveated else per_threat[0][0]
        also = [fs[0] for fs in caveated[1:]]
        if any(t.target == "other_person" for t in f.threats) and v.id == "england_wales":
            reasons.append(Reason.of("duress.imminent_threat.witnessed_only", WITNESSED))
    node = condition(test, TITLES["imminent_threat"], bool(good), reasons, decisive=decisive,
                     threats=tuple(describe(t) for t in f.threats))
    return replace(node, also_rests_on=tuple(also)) if also else node


def no_escape(f: Facts, v: Variant) -> Finding:
    """No reasonable opportunity to escape: the law asks for reasonable, not heroic, conduct."""
    holds = not f.escape_opportunity
    code = "duress.no_escape.none" if holds else "duress.no_escape.available"
    reasons = [Reason.of(code, ESCAPE)]
    decisive = reasons[0]
    if v.id == "rome_statute":
        # The Statute asks for necessary and reasonable action, not for "no escape": npkit
        # reads the one through the other, so that reading decides the Rome node.
        reasons.append(Reason.of("duress.no_escape.rome_rule", ROME))
        decisive = Reason.of("duress.no_escape.rome_necessary" if holds
                             else "duress.no_escape.rome_not_necessary", ROME_NECESSARY)
        reasons.append(decisive)
    return condition(f"duress.{v.id}.no_escape", TITLES["no_escape"], holds, reasons,
                     decisive=decisive, escape_opportunity=f.escape_opportunity)


def _weighing(f: Facts, v: Variant) -> tuple[bool, str]:
    relevant = [t for t in f.threats if t.target in v.targets]
    worst = max((THREAT_RANK.get(t.severity, 0) for t in relevant), default=-1)
    holds = worst >= HARM_RANK.get(f.harm, 0) and worst >= 0
    worst_name = next(
        (t.severity for t in relevant if THREAT_RANK.get(t.severity, 0) == worst), "no threat")
    return holds, worst_name


def proportionate(f: Facts, v: Variant) -> Finding:
    """The harm threatened is at least the harm caused (harm to life or body outweighs harm to
    property); under the Rome Statute, the person does not intend a greater harm than the one
    avoided, read from the harm their deliberate offence causes."""
    holds, worst = _weighing(f, v)
    harm = label(Harm.descriptions[f.harm]) if f.harm in Harm.descriptions else term(f.harm)  # type: ignore[attr-defined]
    params = {"worst": _words(worst), "harm": harm}
    ranked = sorted({worst, f.harm} & RANKED_BY_NPKIT)
    ranking = (Reason.of("duress.proportionate.ranking", RANKING,
                         terms=joined(_words(t) for t in ranked)),) if ranked else ()
    if v.id == "rome_statute":
        code = ("duress.proportionate.no_greater_intent" if holds
                else "duress.proportionate.intends_greater")
        decisive = Reason.of(code, ROME_INTENT, **params)
        reasons = [Reason.of("duress.proportionate.intent_rule", ROME), decisive]
    else:
        code = "duress.proportionate.weighs" if holds else "duress.proportionate.outweighed"
        reasons = [Reason.of("duress.proportionate.general", GENERAL)]
        if v.id == "england_wales":
            decisive = Reason.of(code, EW_PROPORTION, **params)
            reasons.append(decisive)
        else:
            decisive = Reason.of(code, GENERAL, **params)
            reasons += [decisive, Reason.of(
                "duress.proportionate.not_counted", reading(f"{v.title}: no proportionality "
                                                            "element in the quoted test"),
                title=label(v.title))]
    node = condition(f"duress.{v.id}.proportionate", TITLES["proportionate"], holds,
                     [*reasons, *ranking], decisive=decisive, harm=f.harm, worst_threat=worst)
    return replace(node, also_rests_on=ranking) if ranking else node


def no_voluntary_exposure(f: Facts, v: Variant) -> Finding:
    """The defendant did not voluntarily associate with people who might compel them to offend."""
    holds = not f.voluntary_association
    code = "duress.no_voluntary_exposure.none" if holds else "duress.no_voluntary_exposure.joined"
    decisive = Reason.of(code, v.exposure_cite)
    reasons = [decisive]
    if "no_voluntary_exposure" not in v.required:
        reasons.append(Reason.of("duress.no_voluntary_exposure.not_counted",
                                 reading(f"{v.title}: voluntary exposure"), title=label(v.title)))
    return condition(f"duress.{v.id}.no_voluntary_exposure", TITLES["no_voluntary_exposure"],
                     holds, reasons, decisive=decisive,
                     voluntary_association=f.voluntary_association)


TESTS = {
    "imminent_threat": imminent_threat,
    "no_escape": no_escape,
    "proportionate": proportionate,
    "no_voluntary_exposure": no_voluntary_exposure,
}


def _condition(f: Facts, name: str, variant: str) -> Finding:
    """One condition of one variant, named by strings (the memo keys on them cheaply)."""
    return TESTS[name](f, VARIANTS[variant])


# --- the defence ------------------------------------------------------------------------------


def _context(v: Variant) -> list[Reason]:
    """Reasons that frame a variant without deciding it."""
    if v.id == "malaysia":
        return [Reason.of("duress.malaysia.section", S94)]
    if not v.domestic:
        return [Reason.of("duress.rome_statute.international", fitz("V.A")),
                Reason.of("duress.rome_statute.not_domestic", ROME_ANALOGUE)]
    return []


def duress(f: Facts, variant: str) -> Finding:
    """The defence succeeds only if no exclusion applies and every condition the variant
    requires is met. It fails on the first failing required condition, in the order of
    CONDITIONS, unless an excluded offence (murder) decides it first."""
    v = VARIANTS[variant]
    # each condition reads a few facts: reused where they agree (npkit.engine.memo.subtest)
    children = tuple(subtest(_condition, f, c, variant) for c in CONDITIONS)
    required = [c for c, name in zip(children, CONDITIONS, strict=True) if name in v.required]
    failed = [c for c in required if not c.holds]
    context = _context(v)
    exception = ""
    # The Rome Statute is shown only as an analogue: that caveat stays with its outcome.
    also: tuple[Reason, ...] = tuple(r for r in context if r.code.endswith("not_domestic"))
    if f.offence_type in v.excluded_offences:
        assert v.exclusion_cite is not None
        decisive = Reason.of("duress.exclusion.murder", v.exclusion_cite, title=label(v.title))
        exception = f"duress.{v.id}.murder"
        reasons = [decisive, *context]
    elif failed:
        names = joined(label(c.title.lower()) for c in failed)
        reasons = [Reason.of("duress.outcome.fails", v.citation, failed=names), *context]
        decisive = failed[0].decisive
        also += failed[0].also_rests_on  # the caveats the failing condition rests on
    else:
        decisive = Reason.of("duress.outcome.succeeds", v.citation, title=label(v.title))
        reasons = [decisive, *context]
        # Success rests on every required condition: their caveats show at the outcome.
        also += tuple(r for c in required for r in (c.decisive, *c.also_rests_on)
                      if r is not None and r.mark)
    holds = not failed and not exception
    return Finding(f"duress.{v.id}", f"Duress — {v.title}", "succeeds" if holds else "fails",
                   holds, tuple(reasons), {"variant": v.id}, children, decisive=decisive,
                   exception=exception, also_rests_on=also)


# --- the rule registry ------------------------------------------------------------------------

_SUMMARY = {
    "england_wales": "Duress as npkit applies it to England & Wales: R v LM's direct threat of "
    "death or serious injury and its voluntary-association bar, with Fitzgerald's general "
    "escape and proportionality conditions; no duress for murder (outside law).",
    "malaysia": "Duress under the Malaysian case Fitzgerald quotes: fear at the very time of "
    "instant death, a threat that could be carried out then and there; the section number, "
    "the 'to that person' limit, the exposure bar and the murder bar are outside law.",
    "rome_statute": "The international-criminal-law analogue, shown for comparison: imminent "
    "death or continuing or imminent serious bodily harm, necessary and reasonable action, and "
    "no intent to cause a greater harm; not applied by a domestic scam-fraud court.",
}
_CONDITION_SUMMARY = {
    "imminent_threat": "A threat of the kind the variant names, close enough in time and aimed "
    "at someone it protects, present when the offence was committed.",
    "no_escape": "No reasonable (not heroic) opportunity to escape or seek help.",
    "proportionate": "The harm threatened is at least the harm caused (Rome Statute: no intent "
    "to cause a greater harm, read from the deliberate offence).",
    "no_voluntary_exposure": "The person did not knowingly join people who might compel them "
    "to offend.",
}


def _condition_citations(v: Variant, name: str) -> tuple[Citation, ...]:
    if name == "imminent_threat":
        extra = {"england_wales": (GENERAL, WITNESSED), "malaysia": (S94_PERSON,),
                 "rome_statute": (ONGWEN,)}[v.id]
        return (v.citation, *extra)
    if name == "no_escape":
        return (ESCAPE, ROME, ROME_NECESSARY) if v.id == "rome_statute" else (ESCAPE,)
    if name == "proportionate":
        return {"england_wales": (GENERAL, EW_PROPORTION), "malaysia": (GENERAL,),
                "rome_statute": (ROME, ROME_INTENT)}[v.id]
    return (v.exposure_cite,)


def _rules() -> tuple[Rule, ...]:
    out: list[Rule] = []
    for v in VARIANTS.values():
        exceptions = ()
        if v.exclusion_cite is not None:
            exceptions = (Exception_(
                f"duress.{v.id}.murder", "Murder: duress unavailable",
                f"{v.title}: duress is no defence to murder (law from outside the sources).",
                v.exclusion_cite),)
        cites = (v.citation, *(c for c in (S94,) if v.id == "malaysia"),
                 *((fitz("V.A"), ROME_ANALOGUE) if v.id == "rome_statute" else ()))
        weighs = SCALE if "proportionate" in v.required else ()
        out.append(Rule(f"duress.{v.id}", f"Duress — {v.title}", partial(duress, variant=v.id),
                        ("succeeds", "fails"), _SUMMARY[v.id], cites, exceptions, v.short,
                        parameters=weighs))
        for name in CONDITIONS:
            counted = "" if name in v.required else " (shown, not counted for this variant)"
            out.append(Rule(f"duress.{v.id}.{name}", f"{TITLES[name]} — {v.title}",
                            partial(TESTS[name], v=v), ("met", "not_met"),
                            _CONDITION_SUMMARY[name] + counted, _condition_citations(v, name),
                            short=TITLES[name],
                            parameters=SCALE if name == "proportionate" else ()))
    return tuple(out)


RULES = _rules()
