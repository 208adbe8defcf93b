"""Marks notebooks as trusted (signs them) for the Jupyter data dir in the environment, like `jupyter trust`,
which Debian's packages do not ship as a command.

  JUPYTER_DATA_DIR=... /usr/bin/python3 trust_notebooks.py NOTEBOOK...
"""
import sys

import nbformat
from nbformat.sign import NotebookNotary


def main():
    notary = NotebookNotary()
    for path in sys.argv[1:]:
        nb = nbformat.read(path, as_version=4)
        notary.sign(nb)
        if not notary.check_signature(nb):
            print(f"{path}: signing did not make it trusted", file=sys.stderr)
            return 1
        print(f"{path}: trusted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
