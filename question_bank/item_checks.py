"""Item-writing checks (命题规范检查): faults that let a candidate score without knowing the law.

Per question: the key is the uniquely longest option; an absolute word in a true/false stem; a
multiple-choice item with fewer than two wrong options; an "all of the above" option; a negative stem
without emphasis; options of very unequal length; a stem that gives away another question's key. Per bank
(or per blueprint's pool): the share of each key letter per type, and how often the longest option is the
key compared with chance. Checks only warn; a trainer may mark a warning as considered, with a reason
(`ItemCheckReview`). Everything here is pure (plain data in, findings out) except the two loaders at the
end, so the edit page, the import preview, the bank report and the tests share one implementation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .grading import OPTION_KEYS, plain_text
from .models import QuestionType

SEVERE, ADVICE = "severe", "advice"

LONGEST_KEY = "longest_key"
ABSOLUTE_WORD = "absolute_word"
FEW_DISTRACTORS = "few_distractors"
ALL_OF_ABOVE = "all_of_above"
NEGATIVE_STEM = "negative_stem"
UNEQUAL_OPTIONS = "unequal_options"
GIVES_AWAY = "gives_away"

CHECK_LABELS = {
    LONGEST_KEY: gettext_lazy("Key is the uniquely longest option"),
    ABSOLUTE_WORD: gettext_lazy("Absolute word in a true/false stem"),
    FEW_DISTRACTORS: gettext_lazy("Fewer than two wrong options"),
    ALL_OF_ABOVE: gettext_lazy("“All of the above” option"),
    NEGATIVE_STEM: gettext_lazy("Negative stem without emphasis"),
    UNEQUAL_OPTIONS: gettext_lazy("Options of very unequal length"),
    GIVES_AWAY: gettext_lazy("Stem gives away another question's key"),
}
SEVERITY = {
    LONGEST_KEY: ADVICE, ABSOLUTE_WORD: SEVERE, FEW_DISTRACTORS: SEVERE, ALL_OF_ABOVE: SEVERE,
    NEGATIVE_STEM: ADVICE, UNEQUAL_OPTIONS: ADVICE, GIVES_AWAY: ADVICE,
}

# "都" is absolute in "都应当", not in "首都" or "都市".
# "所有" is absolute in "所有人员", not in ownership (国家所有, 集体所有, 所有权).
ABSOLUTE_WORDS = re.compile(r"一律|(?<![国体人家民])所有(?![权制者])|绝不|任何|必须|(?<!首)都(?!市|会)")
ALL_OF_ABOVE_OPTION = re.compile(r"^(以上|上述|前述)(各项|选项|说法)?(都|均|全|全部|皆)|^全部(正确|都对|选项)|^都(对|正确)")
NEGATIVE_WORDS = re.compile(r"不正确|错误的是|不属于|不包括|不符合|不得|不是|不应当|不能")
# Emphasis a reader cannot miss: bold, italics or underline in HTML, or 【】, 「」, “” around the words.
EMPHASIS = ("<strong>{}</strong>", "<b>{}</b>", "<em>{}</em>", "<u>{}</u>", "【{}】", "「{}」", "“{}”")
UNEQUAL_RATIO = 3
UNEQUAL_MIN_DIFFERENCE = 12
GIVEAWAY_MIN_LENGTH = 3
# A key that appears in more stems than this is a common term of the subject (当事人, 行政机关), not a giveaway.
GIVEAWAY_MAX_STEMS = 3
UNIFORM_TOLERANCE = Fraction(1, 10)  # key shares within 10 percentage points of uniform


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    considered: str = ""  # the trainer's reason, when the warning has been considered
    other: str = ""  # the other question's code (giveaways)

    @property
    def severity(self) -> str:
        return SEVERITY[self.check]

    @property
    def label(self) -> str:
        return str(CHECK_LABELS[self.check])

    @property
    def open(self) -> bool:
        return not self.considered


@dataclass(frozen=True)
class Item:
    """The part of a question the checks read (a Question, a version, an import row or demo data)."""

    code: str
    type: str
    stem: str
    options: tuple[str, ...] = ()
    answer: tuple = ()
    group: str = ""  # exclusion group code, if any

    @classmethod
    def of(cls, obj, *, code: str = "", group: str = "") -> Item:
        get = obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
        answer = get("answer") or []
        return cls(
            code=code or get("code", "") or "", type=get("type", "") or "", stem=get("stem", "") or "",
            options=tuple(get("options") or ()),
            answer=tuple(tuple(a) if isinstance(a, list) else a for a in answer),
            group=group,
        )

    def key_indexes(self) -> list[int]:
        return [OPTION_KEYS.index(a) for a in self.answer if isinstance(a, str) and a in OPTION_KEYS[: len(self.options)]]


def _lengths(options) -> list[int]:
    return [len(plain_text(o).strip()) for o in options]


def uniquely_longest(options) -> int | None:
    """Index of the option strictly longer than every other one, or None."""
    lengths = _lengths(options)
    if len(lengths) < 2:
        return None
    longest = max(lengths)
    return lengths.index(longest) if lengths.count(longest) == 1 else None


def _emphasised(stem: str, words: str) -> bool:
    return any(pattern.format(words) in stem for pattern in EMPHASIS)


def check_item(item: Item) -> list[Finding]:
    """The per-question findings (without the cross-question giveaway check)."""
    found: list[Finding] = []
    stem = plain_text(item.stem)
    if item.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        keys = item.key_indexes()
        if item.type == QuestionType.SINGLE and keys and uniquely_longest(item.options) == keys[0]:
            found.append(Finding(LONGEST_KEY, _(
                "The key (%(letter)s) is the longest option; candidates who guess pick the longest.")
                % {"letter": OPTION_KEYS[keys[0]]}))
        if item.type == QuestionType.MULTIPLE and len(item.options) - len(keys) < 2:
            found.append(Finding(FEW_DISTRACTORS, _(
                "Only %(n)d wrong option(s): a multiple-choice item needs two to four plausible wrong options.")
                % {"n": len(item.options) - len(keys)}))
        catch_all = [OPTION_KEYS[i] for i, o in enumerate(item.options) if ALL_OF_ABOVE_OPTION.search(plain_text(o).strip())]
        if catch_all:
            found.append(Finding(ALL_OF_ABOVE, _(
                "Option %(letters)s is an “all of the above” option; name the facts instead.")
                % {"letters": "、".join(catch_all)}))
        lengths = [n for n in _lengths(item.options) if n]
        if len(lengths) >= 2 and max(lengths) >= UNEQUAL_RATIO * min(lengths) \
                and max(lengths) - min(lengths) >= UNEQUAL_MIN_DIFFERENCE:
            found.append(Finding(UNEQUAL_OPTIONS, _(
                "The options range from %(short)d to %(long)d characters; options of similar length give nothing away.")
                % {"short": min(lengths), "long": max(lengths)}))
    if item.type == QuestionType.TRUE_FALSE:
        words = sorted(set(ABSOLUTE_WORDS.findall(stem)), key=stem.find)
        if words:
            found.append(Finding(ABSOLUTE_WORD, _(
                "The statement contains “%(words)s”: absolute statements are usually false, so the word answers it.")
                % {"words": "、".join(words)}))
    negative = NEGATIVE_WORDS.finditer(stem) if item.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) else ()
    for match in negative:
        if not _emphasised(item.stem, match.group()):
            found.append(Finding(NEGATIVE_STEM, _(
                "The stem asks in the negative (“%(words)s”) without emphasis; write it as 【%(words)s】 or in bold.")
                % {"words": match.group()}))
            break
    return found


# --- giveaways between questions --------------------------------------------------------------------


def key_phrases(item: Item) -> list[str]:
    """Texts that answer the item: its key options (single choice) and accepted blanks (fill-in)."""
    if item.type == QuestionType.SINGLE:
        phrases = [plain_text(item.options[i]).strip() for i in item.key_indexes()]
        wrong = [plain_text(o) for i, o in enumerate(item.options) if i not in item.key_indexes()]
    elif item.type == QuestionType.FILL_BLANK:
        phrases = [a.strip() for blank in item.answer if isinstance(blank, tuple | list) for a in blank]
        wrong = []
    else:
        return []
    stem = plain_text(item.stem)
    return [p for p in dict.fromkeys(phrases)
            if len(p) >= GIVEAWAY_MIN_LENGTH and p not in stem and not any(p in w for w in wrong)]


def _contains(text: str, phrase: str) -> bool:
    """`phrase` in `text`, where a number must be whole: "200" is not in "2004年"."""
    if not (phrase[0].isdigit() or phrase[-1].isdigit()):
        return phrase in text
    start = text.find(phrase)
    while start != -1:
        before = text[start - 1] if start else ""
        after = text[start + len(phrase) : start + len(phrase) + 1]
        if not (phrase[0].isdigit() and before.isdigit()) and not (phrase[-1].isdigit() and after.isdigit()):
            return True
        start = text.find(phrase, start + 1)
    return False


def giveaways(items: list[Item], *, separated: set[frozenset] | None = None) -> dict[str, list[Finding]]:
    """For each question whose stem contains another question's key, one finding naming that question.

    Pairs in one exclusion group never share a paper, and pairs a trainer judged to test different facts
    (`separated`, sets of two codes) need no group, so neither is reported. Stems are found through
    an inverted index of character pairs, so a large bank is not compared pair by pair.
    """
    stems = [plain_text(i.stem) for i in items]
    postings: dict[str, set[int]] = defaultdict(set)
    for index, stem in enumerate(stems):
        for a, b in zip(stem, stem[1:], strict=False):
            postings[a + b].add(index)
    found: dict[str, list[Finding]] = defaultdict(list)
    for source in items:
        for phrase in key_phrases(source):
            pairs = [phrase[i : i + 2] for i in range(len(phrase) - 1)]
            candidates = min((postings.get(p, set()) for p in pairs), key=len, default=set())
            containing = [index for index in sorted(candidates) if _contains(stems[index], phrase)]
            if len(containing) > GIVEAWAY_MAX_STEMS:
                continue
            for index in containing:
                target = items[index]
                if target.code == source.code or (target.group and target.group == source.group):
                    continue
                if separated and frozenset((target.code, source.code)) in separated:
                    continue
                found[target.code].append(Finding(GIVES_AWAY, _(
                    "The stem contains “%(phrase)s”, the answer of %(code)s; put the two in one exclusion group "
                    "or reword.") % {"phrase": phrase, "code": source.code}, other=source.code))
    return found


# --- bank-level figures --------------------------------------------------------------------------------


@dataclass
class KeyDistribution:
    """Key positions of one question type: observed and expected (uniform) share per letter."""

    question_type: str
    items: int
    counts: dict[str, int] = field(default_factory=dict)
    expected: dict[str, Fraction] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, letter: str) -> Fraction:
        return Fraction(self.counts.get(letter, 0), self.total) if self.total else Fraction(0)

    def expected_share(self, letter: str) -> Fraction:
        return self.expected.get(letter, Fraction(0)) / self.total if self.total else Fraction(0)

    @property
    def letters(self) -> list[str]:
        return sorted(set(self.expected) | set(self.counts), key=lambda k: (k not in OPTION_KEYS, str(k)))

    @property
    def worst_deviation(self) -> Fraction:
        return max((abs(self.share(k) - self.expected_share(k)) for k in self.letters), default=Fraction(0))

    @property
    def uniform(self) -> bool:
        return self.worst_deviation <= UNIFORM_TOLERANCE

    def rows(self) -> list[dict]:
        return [{"letter": k, "count": self.counts.get(k, 0), "share": float(self.share(k)),
                 "expected": float(self.expected_share(k))} for k in self.letters]


def key_distributions(items: Iterable[Item]) -> dict[str, KeyDistribution]:
    """Per choice type, how often each letter is (part of) the key, against what random placement gives:
    an item with k keys among n options adds k/n to each of its n letters. True/false counts 正确/错误."""
    result: dict[str, KeyDistribution] = {}
    for item in items:
        if item.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            keys = item.key_indexes()
            n = len(item.options)
            if not keys or not n:
                continue
            dist = result.setdefault(item.type, KeyDistribution(item.type, 0))
            dist.items += 1
            for i in keys:
                dist.counts[OPTION_KEYS[i]] = dist.counts.get(OPTION_KEYS[i], 0) + 1
            for i in range(n):
                dist.expected[OPTION_KEYS[i]] = dist.expected.get(OPTION_KEYS[i], Fraction(0)) + Fraction(len(keys), n)
        elif item.type == QuestionType.TRUE_FALSE and item.answer in ((True,), (False,)):
            dist = result.setdefault(item.type, KeyDistribution(item.type, 0))
            dist.items += 1
            label = "正确" if item.answer[0] else "错误"
            dist.counts[label] = dist.counts.get(label, 0) + 1
            for value in ("正确", "错误"):
                dist.expected[value] = dist.expected.get(value, Fraction(0)) + Fraction(1, 2)
    return result


@dataclass
class LongestKeyRate:
    items: int
    longest_is_key: int
    chance: Fraction  # expected count if keys were placed at random

    @property
    def rate(self) -> Fraction:
        return Fraction(self.longest_is_key, self.items) if self.items else Fraction(0)

    @property
    def chance_rate(self) -> Fraction:
        return self.chance / self.items if self.items else Fraction(0)

    @property
    def at_or_below_chance(self) -> bool:
        return self.longest_is_key <= self.chance


def longest_key_rate(items: Iterable[Item]) -> LongestKeyRate:
    """Single choice: how often the uniquely longest option is the key, against 1/n per item by chance."""
    total, hits, chance = 0, 0, Fraction(0)
    for item in items:
        if item.type != QuestionType.SINGLE or not item.options or not item.key_indexes():
            continue
        total += 1
        chance += Fraction(1, len(item.options))
        if uniquely_longest(item.options) == item.key_indexes()[0]:
            hits += 1
    return LongestKeyRate(total, hits, chance)


@dataclass
class BankReport:
    findings: dict[str, list[Finding]]  # by question code
    distributions: dict[str, KeyDistribution]
    longest: LongestKeyRate
    items: int

    def counts(self) -> list[dict]:
        """Per check: open and considered warnings, in the order of CHECK_LABELS."""
        rows = []
        for check, label in CHECK_LABELS.items():
            open_, considered = 0, 0
            for findings in self.findings.values():
                for f in findings:
                    if f.check == check:
                        considered += bool(f.considered)
                        open_ += not f.considered
            rows.append({"check": check, "label": str(label), "severity": SEVERITY[check], "open": open_,
                         "considered": considered})
        return rows

    def open_findings(self, *, severity: str | None = None) -> dict[str, list[Finding]]:
        return {code: [f for f in fs if f.open and (severity is None or f.severity == severity)]
                for code, fs in self.findings.items()
                if any(f.open and (severity is None or f.severity == severity) for f in fs)}

    @property
    def severe_ok(self) -> bool:
        """The bank-level bar: no open severe warning, longest-option keys at chance or below, key letters
        within 10 points of uniform for every type."""
        return (not self.open_findings(severity=SEVERE) and self.longest.at_or_below_chance
                and all(d.uniform for d in self.distributions.values()))


def check_bank(items: list[Item], *, considered: dict[tuple[str, str], str] | None = None,
               separated: set[frozenset] | None = None) -> BankReport:
    """Every check over a list of items; `considered` maps (code, check) to the trainer's reason, `separated`
    holds the pairs of codes judged to test different facts."""
    considered = considered or {}
    findings: dict[str, list[Finding]] = {}
    extra = giveaways(items, separated=separated)
    for item in items:
        own = check_item(item) + extra.get(item.code, [])
        if own:
            findings[item.code] = [
                Finding(f.check, f.message, considered.get((item.code, f.check), ""), f.other) for f in own
            ]
    return BankReport(findings, key_distributions(items), longest_key_rate(items), len(items))


# --- loading from the database -------------------------------------------------------------------------


def bank_items(queryset=None) -> list[Item]:
    """Items for the questions of `queryset` (default: every question not retired), with group codes."""
    from .models import ExclusionGroupMember, Question, QuestionStatus

    if queryset is None:
        queryset = Question.objects.exclude(status=QuestionStatus.RETIRED)
    groups = dict(ExclusionGroupMember.objects.values_list("question_id", "group__code"))
    return [
        Item(code=code, type=qtype, stem=stem, options=tuple(options or ()),
             answer=tuple(tuple(a) if isinstance(a, list) else a for a in (answer or [])), group=groups.get(pk, ""))
        for pk, code, qtype, stem, options, answer in queryset.order_by("code").values_list(
            "pk", "code", "type", "stem", "options", "answer")
    ]


def considered_reasons(codes: Iterable[str] | None = None) -> dict[tuple[str, str], str]:
    from .models import ItemCheckReview

    reviews = ItemCheckReview.objects.all()
    if codes is not None:
        reviews = reviews.filter(question__code__in=list(codes))
    return {(code, check): reason for code, check, reason in reviews.values_list("question__code", "check_code", "reason")}


def separated_pairs() -> set[frozenset]:
    from .models import ExclusionSeparation

    return {frozenset(pair) for pair in ExclusionSeparation.objects.values_list("first__code", "second__code")}


def check_question(question) -> list[Finding]:
    """The findings of one saved question, with giveaways: its key in any stem of the bank, and other keys
    in its stem within its top-level area (a whole-bank scan per page view would not scale; the bank report
    does the full scan)."""
    from django.db.models import Q

    from .models import ExclusionGroupMember, KnowledgePoint, Question, QuestionStatus

    membership = ExclusionGroupMember.objects.filter(question=question).values_list("group__code", flat=True).first()
    me = Item.of(question, group=membership or "")
    area = question.knowledge_point.path[: KnowledgePoint.steplen]
    nearby = Q(knowledge_point__path__startswith=area)
    for phrase in key_phrases(me):
        nearby |= Q(stem__contains=phrase)
    others = [i for i in bank_items(Question.objects.exclude(status=QuestionStatus.RETIRED).filter(nearby))
              if i.code != question.code]
    reasons = considered_reasons([question.code])
    pairs = giveaways([me, *others], separated=separated_pairs())
    own = check_item(me) + pairs.get(me.code, [])
    # the other direction: this question's key written into another stem
    own += [Finding(GIVES_AWAY, _("Its key appears in the stem of %(code)s; put the two in one exclusion group or "
                                  "reword.") % {"code": code}, other=code)
            for code, fs in sorted(pairs.items()) if code != me.code and any(f.other == me.code for f in fs)]
    return [Finding(f.check, f.message, reasons.get((question.code, f.check), ""), f.other) for f in own]


def bank_report(queryset=None) -> BankReport:
    items = bank_items(queryset)
    return check_bank(items, considered=considered_reasons(), separated=separated_pairs())


def blueprint_key_distributions(blueprint) -> dict[str, KeyDistribution]:
    """Key letters of the questions a blueprint can draw (its cells' pools): what its papers are made from
    before options are shuffled."""
    from .assembly import _load, check_blueprint  # noqa: PLC2701 - the same pool the papers draw from
    from .models import Question

    check = check_blueprint(blueprint)
    if not check.ok:
        return {}
    _sections, _kp, _diff, pool = _load(blueprint)
    ids = {entry.question_id for cell in check.cells for entry in pool.get(cell.key, [])}
    return key_distributions(bank_items(Question.objects.filter(pk__in=ids)))
