"""The centre's people and places: hotline officers and the staff LINE group."""
