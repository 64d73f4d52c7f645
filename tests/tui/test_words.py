from paperdeck.tui.words import count_of


def test_count_of_agrees_with_the_number() -> None:
    assert count_of(1, "paper") == "1 paper"
    assert count_of(0, "paper") == "0 papers"
    assert count_of(12345, "match", "matches") == "12,345 matches"
    assert count_of(1, "match", "matches") == "1 match"
