"""Finds the archive this code runs from, the way pex-style bootstraps do."""
import os
import zipfile


def containing_archive(path):
    # Walk up from a module path until a zip file is found.  Once the archive
    # is deleted from disk this never ends: os.path.dirname("/") == "/".
    while path:
        if zipfile.is_zipfile(path):
            return path
        path = os.path.dirname(path)
    return None


def load_settings():
    archive = containing_archive(__file__)
    with zipfile.ZipFile(archive) as z:
        return z.read("agent/settings.ini")
