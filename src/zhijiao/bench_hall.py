"""`zhijiao bench hall` figures (filled in with the service hall)."""


def run(*, duration: int, repeat: int) -> None:
    raise NotImplementedError
