from django.utils import translation

import pytest


@pytest.fixture(autouse=True)
def chinese():
    # Import reports are read in Chinese; assertions check the Chinese wording.
    with translation.override("zh-hans"):
        yield
