import pytest

from .soap_client import Soap


@pytest.fixture
def soap(sandbox) -> Soap:
    return Soap(sandbox)
