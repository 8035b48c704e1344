import pytest
from django.core.exceptions import ValidationError

from sinergi.registry.taxid import normalise_tax_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("5300100003", "5300100003"), (" 5300100003-001 ", "5300100003-001")],
)
def test_vietnamese_tax_ids_of_ten_digits_or_a_branch_suffix_are_accepted(raw, expected):
    assert normalise_tax_id(raw, "VN") == expected


@pytest.mark.parametrize("raw", ["530010000", "53001000031", "5300100003-01", "53OO100003", ""])
def test_vietnamese_tax_ids_of_another_shape_are_rejected(raw):
    with pytest.raises(ValidationError):
        normalise_tax_id(raw, "VN")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("0123 4567 8901 2345", "0123456789012345"),
    ],
)
def test_npwp_punctuation_is_ignored_and_15_or_16_digits_accepted(raw, expected):
    assert normalise_tax_id(raw, "ID") == expected


@pytest.mark.parametrize("raw", ["01.234.567.8-901.00", "01234567890123456", "0123456789O1234"])
def test_npwp_with_a_wrong_length_or_letters_is_rejected(raw):
    with pytest.raises(ValidationError):
        normalise_tax_id(raw, "ID")
