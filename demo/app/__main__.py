"""A stand-in for the fleet agent of the incident: it runs from a zipapp
(like a .pex) and reloads its settings from inside its own archive."""
import time

from agent import resources


def main():
    while True:
        settings = resources.load_settings()
        time.sleep(0.2 if settings else 0)


if __name__ == "__main__":
    main()
