"""The office's paperwork from case data: the memo, the fund request, the periodic summary."""
