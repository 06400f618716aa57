"""Would make every check pass, if pytest ever loaded it: the judge must not."""
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"
    return report


def pytest_collection_modifyitems(items):
    items.clear()
