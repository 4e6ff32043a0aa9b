"""Incident photos: cleaned of metadata, stored by content hash, fetched from LINE, shown by signed link."""
