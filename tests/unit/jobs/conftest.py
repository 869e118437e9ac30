import pytest


@pytest.fixture(autouse=True)
def empty_private_storage():
    """Each test starts with an empty private storage (the in-memory one lives as long as the process)."""
    from lms.jobs.models import private_storage
    from lms.jobs.services import _walk

    storage = private_storage()
    for name in list(_walk(storage, "")):
        storage.delete(name)
