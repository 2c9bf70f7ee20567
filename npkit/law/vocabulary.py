"""The fact vocabulary a case file is written in.

Every term has a one-line description for trainers; the docs page, the JSON Schema and the
widgets all read them from here, so a term is explained once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def _vocab(name: str, terms: dict[str, str]) -> type[StrEnum]:
    enum = StrEnum(name, {k: k for k in terms})
    enum.descriptions = dict(terms)  # type: ignore[attr-defined]
    return enum


Act = _vocab(
    "Act",
    {
        "recruitment": "recruiting the person (job advert, friend, broker)",
        "transportation": "moving the person, incl. paying or arranging travel",
        "transfer": "handing the person over, incl. sale between compounds",
        "harbouring": "keeping the person somewhere, e.g. a compound",
        "receipt": "receiving the person on arrival",
    },
)


@dataclass(frozen=True, slots=True)
class MeansTerm:
    description: str
    palermo: str  # which means in Palermo art 3 / ACTIP art 2 it is an instance of
    force_or_threat: bool  # counts under the strict compulsion reading (force or threats)


MEANS: dict[str, MeansTerm] = {
    "threat_of_force": MeansTerm("threats of force or harm to the person", "threat of force", True),
    "use_of_force": MeansTerm("force used on the person", "use of force", True),
    "physical_abuse": MeansTerm(
        "beatings, torture, deprivation of food or light as punishment", "use of force", True
    ),
    "sexual_violence": MeansTerm("sexual assault or threats of it", "use of force", True),
    "threats_to_family": MeansTerm(
        "threats against the person's family or others close to them", "threat of force", True
    ),
    "abduction": MeansTerm("taking the person against their will", "abduction", True),
    "witnessed_violence": MeansTerm(
        "seeing others beaten, hurt or killed (an implicit threat)",
        "other forms of coercion",
        False,
    ),
    "coercion": MeansTerm("other coercion not listed here", "other forms of coercion", False),
    "confinement": MeansTerm(
        "locked in or kept behind walls and guards", "other forms of coercion", False
    ),
    "confiscated_documents": MeansTerm(
        "passport or ID documents taken", "other forms of coercion", False
    ),
    "surveillance": MeansTerm("movements watched or monitored", "other forms of coercion", False),
    "fines_or_deductions": MeansTerm(
        "fines, wage deductions or withheld pay as penalties", "other forms of coercion", False
    ),
    # The sources give no definition of debt bondage (Fitzgerald 2024 II.B names debts among
    # the means and II.B.3 debt bondage among practices similar to slavery): npkit's wording.
    "debt_bondage": MeansTerm(
        "debts used to hold the person, e.g. made to pay for release, recruitment or keep",
        "other forms of coercion", False
    ),
    "fraud": MeansTerm("fraud about the job or arrangement", "fraud", False),
    "deception": MeansTerm("deceived about the work, pay or conditions", "deception", False),
    "small_wages": MeansTerm(
        "a small wage paid to keep up the look of a real job", "deception", False
    ),
    "abuse_of_power": MeansTerm("abuse of power over the person", "abuse of power", False),
    "abuse_of_vulnerability": MeansTerm(
        "abuse of a position of vulnerability (poverty, unemployment, irregular status)",
        "abuse of a position of vulnerability",
        False,
    ),
    "payments_to_controller": MeansTerm(
        "payments given to someone who controls the person",
        "giving or receiving payments to a person having control",
        False,
    ),
}
Means = _vocab("Means", {k: v.description for k, v in MEANS.items()})

Purpose = _vocab(
    "Purpose",
    {
        "forced_criminality": "made to commit crimes for the exploiters' gain (UNODC)",
        "forced_labour": "work exacted under menace of a penalty, not offered voluntarily",
        "servitude": "work or service the person cannot escape or change",
        "slavery": "powers of ownership exercised over the person (incl. sale)",
        "debt_bondage": "debt bondage, a practice similar to slavery (npkit's wording: the "
                        "sources give no definition)",
        "sexual_exploitation": "exploitation of prostitution or other sexual exploitation",
        "organ_removal": "removal of organs",
        "other_exploitation": "another form of exploitation",
    },
)

ThreatTarget = _vocab(
    "ThreatTarget",
    {
        "self": "the person themselves",
        "close_person": "someone sufficiently close to them (e.g. family) who is at hand",
        "close_family_elsewhere": "close family who are not with the person but within the "
                                  "traffickers' reach, so harm to them could follow at once "
                                  "(e.g. held, or watched at home by the traffickers' associates)",
        "family_far_away": "family or friends far away, out of the traffickers' immediate reach "
                           "(e.g. back home)",
        "other_person": "someone else, e.g. fellow workers",
    },
)

ThreatSeverity = _vocab(
    "ThreatSeverity",
    {
        "death": "death",
        "serious_harm": "serious bodily harm (incl. rape, torture)",
        "beating": "a beating or other bodily harm short of serious injury",
        "lesser_harm": "harm short of a beating (fines, a slap, lost privileges)",
        "unspecified": "vague 'severe consequences' with no harm named",
    },
)

Imminence = _vocab(
    "Imminence",
    {
        # neutral wording: "then and there" is the Malaysian court's phrase (Fitzgerald V.B.1)
        "imminent": "could be carried out at once, at the time of the offence",
        "continuing": "serious harm actually going on (e.g. regular beatings for missed quotas)",
        "periodic": "occasional reminders of what would happen",
        "remote": "abstract, distant or merely possible",
    },
)

RecruitmentMethod = _vocab(
    "RecruitmentMethod",
    {
        "job_advert": "an online or printed job advertisement",
        "friend_or_acquaintance": "a friend or acquaintance",
        "broker_or_agent": "a broker or recruitment agent",
        "family_member": "a family member",
        "abduction": "taken by force",
        "self_initiated": "the person contacted the recruiters themselves",
        "other": "another way",
    },
)

DeceivedAbout = _vocab(
    "DeceivedAbout",
    {
        "nature_of_work": "what the work was (e.g. told admin job, made to scam)",
        "conditions": "living and working conditions, hours, treatment",
        "pay": "pay",
        "employer": "who the employer was",
        "location": "where the work was",
        "freedom_to_leave": "whether they could leave",
    },
)

OffenceType = _vocab(
    "OffenceType",
    {
        "fraud": "fraud, incl. online scams",
        "money_laundering": "money laundering",
        "organised_crime": "participating in or conspiring with an organised crime group",
        "illegal_entry": "entering a country illegally",
        "overstay": "staying beyond a visa or without status",
        "working_without_permit": "working without a permit",
        "document_offence": "false, forged or missing travel or identity documents",
        "false_information": "giving false information to officials",
        "prostitution": "prostitution-related offences",
        "drug_trafficking": "carrying or dealing drugs",
        "theft": "theft",
        "assault": "assault or wounding",
        "property_damage": "damage to property",
        "trafficking_in_persons": "trafficking or recruiting others",
        "manslaughter": "manslaughter",
        "murder": "murder",
        "other": "another offence",
    },
)

OffenceCategory = _vocab(
    "OffenceCategory",
    {
        "status": "arises from being there: entry, stay, work, documents",
        "purpose": "what the person was trafficked to do (scams, drugs, theft)",
        "secondary": "done to escape, survive or sustain themselves",
        "other": "none of these (e.g. violence ordered by exploiters, unrelated to the work)",
    },
)

Timing = _vocab(
    "Timing",
    {
        "before": "before the trafficking began",
        "during": "while trafficked",
        "after": "after the trafficking ended",
    },
)

Harm = _vocab(
    "Harm",
    {
        "none": "no victim or harm (e.g. a regulatory breach)",
        "property_minor": "small financial or property loss",
        "property_major": "large or widespread financial loss",
        "harm_to_others": "harm to other people's health or safety with no one identified as "
                          "hurt (e.g. drugs put into circulation)",
        "bodily_harm": "bodily harm to someone",
        "loss_of_liberty": "someone deprived of their liberty (e.g. recruited into, or held in, "
                           "a compound)",
        "serious_bodily_harm": "serious bodily harm to someone",
        "death": "someone's death",
    },
)

Rewards = _vocab(
    "Rewards",
    {
        "none": "no rewards recorded",
        "instead_of_coercion": "compliance was driven by rewards (pay, privileges, promotion) "
                               "rather than coercion",
        "alongside_coercion": "rewards were given, but coercion was used as well",
    },
)

# Elements of the trafficking definition a case can leave open: unknown is not "no".
UnknownElement = _vocab(
    "UnknownElement",
    {
        "means": "whether any means was used is not known (an empty list says none was)",
        "purposes": "whether there was a purpose of exploitation is not known",
    },
)

IdentificationStatus = _vocab(
    "IdentificationStatus",
    {
        "identified": "formally identified as a victim of trafficking",
        "not_identified": "not (yet) identified",
        "identified_as_offender": "treated as a willing offender despite indicators",
        "pending": "screening under way",
    },
)

Stage = _vocab(
    "Stage",
    {
        "identification": "identification and investigation",
        "arrest_and_charge": "arrest and charge",
        "prosecution": "prosecution",
        "defences": "trial: statutory and general defences",
        "sentencing": "conviction and sentencing",
        "post_conviction": "after conviction",
    },
)

# Means that coerce (force, threats, other coercion, abduction), as against deceiving or abusing a
# position: rewards given alongside these are rewards *and* coercion.
COERCIVE_MEANS = frozenset(
    k for k, v in MEANS.items()
    if v.palermo in ("threat of force", "use of force", "other forms of coercion", "abduction")
)

STATUS_OFFENCES = frozenset(
    {"illegal_entry", "overstay", "working_without_permit", "document_offence"}
)

ALL_VOCABULARIES: dict[str, type[StrEnum]] = {
    e.__name__: e
    for e in (
        Act, Means, Purpose, ThreatTarget, ThreatSeverity, Imminence, RecruitmentMethod,
        DeceivedAbout, OffenceType, OffenceCategory, Timing, Harm, Rewards, UnknownElement,
        IdentificationStatus, Stage,
    )
}


def describe(enum: type[StrEnum], value: str) -> str:
    return enum.descriptions[value]  # type: ignore[attr-defined]
