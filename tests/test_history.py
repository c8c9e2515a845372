"""The reading history (Alt+Left / Alt+Right in the viewer): back and forward like a browser."""
from __future__ import annotations

from edukit.core.history import History, Place

A, B, C, D = (Place("a"), Place("b"), Place("b", "activity"), Place("d"))


def history_of(*places: Place, limit: int = 200) -> History:
    history = History(limit)
    for place in places:
        history.push(place)
    return history


def test_back_and_forward_walk_the_places_in_order():
    history = history_of(A, B, C)
    assert not history.can_go_forward and history.can_go_back
    assert history.back() == B and history.back() == A
    assert history.back() is None and not history.can_go_back  # at the start it stays there
    assert history.forward() == B and history.forward() == C
    assert history.forward() is None and not history.can_go_forward


def test_going_somewhere_new_after_back_drops_the_forward_places():
    history = history_of(A, B, C)
    history.back()
    history.back()
    history.push(D)
    assert history.places == [A, D] and not history.can_go_forward
    assert history.back() == A


def test_the_same_place_twice_in_a_row_is_one_entry():
    history = history_of(A, A, B, B)
    assert history.places == [A, B]
    history.back()
    history.push(A)  # where the reader already is: the way forward is kept
    assert history.forward() == B


def test_scrolling_updates_the_current_place_without_a_new_entry():
    history = history_of(A, B)
    history.update(C)
    assert history.places == [A, C]
    assert history.back() == A and history.forward() == C
    empty = History()
    empty.update(A)  # nothing read yet: nothing to update
    assert empty.places == [] and empty.back() is None and empty.forward() is None


def test_a_long_history_forgets_the_oldest_places():
    history = history_of(*(Place(str(n)) for n in range(7)), limit=5)
    assert [p.module_id for p in history.places] == ["2", "3", "4", "5", "6"]
    assert history.index == 4 and not history.can_go_forward
    for expected in ("5", "4", "3", "2"):
        assert history.back().module_id == expected
    assert history.back() is None
