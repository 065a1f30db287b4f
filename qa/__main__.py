"""`python -m qa ...`: the command-line interface."""

from qa.cli import main

if __name__ == "__main__":
    main()
