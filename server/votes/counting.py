"""Counting rules, as pure functions (property-tested in tests/test_vote_counting.py).

Rules, for what must be reached by "Đồng ý" (yes/no votes) or by an option (choice votes):
- `cast`: more than half of the ballots cast. A "Không biểu quyết" (abstain) ballot is cast, so it weighs as not-yes.
- `members`: more than half of all the meeting's voting members (the usual rule in People's Councils); abstaining and
  not voting weigh the same.
- `two_thirds`: at least two thirds of all the meeting's voting members.
A tie (as many for as against, or equal leaders of a choice) is stated as a tie; a tie never passes.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def threshold(rule: str, *, cast: int, members: int) -> int:
    """The least number of votes that reaches the rule."""
    if rule == "cast":
        return cast // 2 + 1
    if rule == "members":
        return members // 2 + 1
    if rule == "two_thirds":
        return -(-2 * members // 3)  # ceil(2m/3)
    raise ValueError(rule)


@dataclass
class Outcome:
    passed: bool
    tie: bool
    needed: int
    cast: int
    elected: list[int] = field(default_factory=list)  # option ids, for choice votes
    counts: dict[int, int] = field(default_factory=dict)


def yes_no(yes: int, no: int, abstain: int, *, rule: str, members: int) -> Outcome:
    cast = yes + no + abstain
    needed = threshold(rule, cast=cast, members=members)
    tie = yes == no and cast > 0
    return Outcome(passed=not tie and cast > 0 and yes >= needed, tie=tie, needed=needed, cast=cast)


def choice(counts: dict[int, int], *, ballots: int, rule: str, members: int, seats: int = 1) -> Outcome:
    """One of several (seats=1) or up to `seats` of several (electing): the options that reach the rule, best first.
    Equal counts at the last seat are a tie: those options are not elected (the chair decides how to proceed)."""
    needed = threshold(rule, cast=ballots, members=members)
    ranked = sorted((o for o, c in counts.items() if c > 0), key=lambda o: -counts[o])
    reaching = [o for o in ranked if counts[o] >= needed]
    elected = reaching[:seats]
    tie = False
    if seats == 1:
        tie = len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]
        if tie:
            elected = []
    elif len(reaching) > seats and counts[reaching[seats - 1]] == counts[reaching[seats]]:
        tie = True
        boundary = counts[reaching[seats - 1]]
        elected = [o for o in elected if counts[o] > boundary]
    return Outcome(passed=bool(elected), tie=tie, needed=needed, cast=ballots, elected=elected, counts=dict(counts))
