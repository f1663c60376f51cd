"""An answer file leaves storage with its row, however the row goes: replaced by the learner's next upload to the
same question (``services.answer_upload``), or with its attempt when the learner, the run or the course is deleted
(the cascades). Only after the commit, so a deletion that is rolled back keeps its file."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import AttemptFile


@receiver(post_delete, sender=AttemptFile, dispatch_uid="assessment.attempt_file_deleted")
def attempt_file_deleted(sender: type[AttemptFile], instance: AttemptFile, **kwargs: Any) -> None:
    name = instance.file.name
    if name:
        storage = instance.file.storage
        # robust: storage that is down for a moment leaves a stray file, never an error after the data is committed.
        transaction.on_commit(lambda: storage.delete(name), robust=True)
