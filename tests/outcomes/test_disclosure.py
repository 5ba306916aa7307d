from outcomes import disclosure


def test_primary_suppression_hides_1_to_4():
    assert disclosure.primary([0, 1, 4, 5, 12]) == [False, True, True, False, False]


def test_single_hidden_cell_gets_a_secondary_partner():
    # Column total 3 + 7 + 9 = 19: hiding only the 3 would let 19 − 7 − 9 reveal it,
    # so the next smallest non-zero cell (7) is hidden too.
    assert disclosure.suppress_column([3, 7, 9, 0]) == [True, True, False, False]


def test_two_hidden_cells_need_no_partner():
    assert disclosure.suppress_column([3, 2, 9]) == [True, True, False]


def test_no_partner_needed_without_a_total():
    assert disclosure.suppress_column([3, 7, 9], has_total=False) == [True, False, False]


def test_zero_is_not_a_partner():
    assert disclosure.suppress_column([2, 0, 0]) == [True, False, False]


def test_table_suppression_per_column():
    rows = [{"q": "Q1", "served": 12, "working": 3}, {"q": "Q2", "served": 14, "working": 6}]

    shown = disclosure.suppress_table(rows, ["served", "working"])

    assert shown == [
        {"q": "Q1", "served": 12, "working": "<5"},
        {"q": "Q2", "served": 14, "working": "<5"},
    ]
