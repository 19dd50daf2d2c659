"""Property tests of the counting rules (server/votes/counting.py)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from server.votes.counting import choice, threshold, yes_no

RULES = st.sampled_from(["cast", "members", "two_thirds"])


@st.composite
def yes_no_ballots(draw):
    members = draw(st.integers(min_value=1, max_value=500))
    cast = draw(st.integers(min_value=0, max_value=members))
    yes = draw(st.integers(min_value=0, max_value=cast))
    no = draw(st.integers(min_value=0, max_value=cast - yes))
    return yes, no, cast - yes - no, members


@given(yes_no_ballots(), RULES)
def test_yes_no_passes_exactly_when_the_rule_is_reached(ballots, rule):
    yes, no, abstain, members = ballots
    result = yes_no(yes, no, abstain, rule=rule, members=members)
    cast = yes + no + abstain
    if rule == "cast":
        reached = 2 * yes > cast
    elif rule == "members":
        reached = 2 * yes > members
    else:
        reached = 3 * yes >= 2 * members
    tie = cast > 0 and yes == no
    assert result.tie == tie
    assert result.passed == (reached and not tie and cast > 0)
    assert result.cast == cast


@given(yes_no_ballots(), RULES)
def test_one_more_yes_never_turns_a_pass_into_a_fail(ballots, rule):
    yes, no, abstain, members = ballots
    if abstain == 0:
        return
    before = yes_no(yes, no, abstain, rule=rule, members=members)
    after = yes_no(yes + 1, no, abstain - 1, rule=rule, members=members)  # an abstainer changes to yes
    assert not (before.passed and not after.passed)


@given(yes_no_ballots())
def test_abstentions_count_as_cast_under_the_cast_rule_and_not_at_all_under_members(ballots):
    yes, no, abstain, members = ballots
    assert yes_no(yes, no, abstain, rule="cast", members=members).needed == (yes + no + abstain) // 2 + 1
    assert yes_no(yes, no, abstain, rule="members", members=members).needed == members // 2 + 1


@given(st.integers(min_value=1, max_value=1000))
def test_thresholds(members):
    assert 2 * threshold("members", cast=0, members=members) > members
    assert 2 * (threshold("members", cast=0, members=members) - 1) <= members
    two_thirds = threshold("two_thirds", cast=0, members=members)
    assert 3 * two_thirds >= 2 * members and 3 * (two_thirds - 1) < 2 * members


@st.composite
def elections(draw):
    options = draw(st.integers(min_value=2, max_value=8))
    seats = draw(st.integers(min_value=1, max_value=options))
    members = draw(st.integers(min_value=1, max_value=300))
    ballots = draw(st.integers(min_value=0, max_value=members))
    counts = {o: draw(st.integers(min_value=0, max_value=ballots)) for o in range(1, options + 1)}
    return counts, ballots, members, seats


@given(elections(), RULES)
def test_elected_options_reach_the_rule_fit_the_seats_and_beat_everyone_left_out(election, rule):
    counts, ballots, members, seats = election
    result = choice(counts, ballots=ballots, rule=rule, members=members, seats=seats)
    assert len(result.elected) <= seats
    for option in result.elected:
        assert counts[option] >= result.needed
        for other in counts:
            if other not in result.elected:
                assert counts[option] > counts[other] or counts[other] < result.needed
    assert result.passed == bool(result.elected)


@given(st.integers(min_value=1, max_value=100), RULES)
def test_a_tie_for_first_place_elects_nobody_in_a_single_choice(count, rule):
    result = choice({1: count, 2: count, 3: 0}, ballots=2 * count, rule=rule, members=2 * count)
    assert result.tie and result.elected == [] and not result.passed
