"""Foundations every capability uses: the database unit of work, Thai sentences and dates, signed links, fonts."""
