"""The Sarabun font files the documents and the rich menu picture are drawn with."""
from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def font_path(style: str = "Regular") -> Path:
    """Path of a Sarabun .ttf shipped by the fontpkg-sarabun package ("Regular", "Bold", ...)."""
    path = Path(str(files("fontpkg_sarabun").joinpath("files", f"Sarabun-{style}.ttf")))
    if not path.is_file():
        raise FileNotFoundError(f"Sarabun {style} not found at {path}: is fontpkg-sarabun installed?")
    return path
