"""Fuzzing in the default run: a few hundred cases each; `scripts/fuzz` runs thousands."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fuzzing import (
    check_docx_container,
    check_project,
    check_reader,
    check_xliff,
    docx_containers,
    project_texts,
    reader_inputs,
    xliff_bytes,
)
from hypothesis import HealthCheck, given, settings

# Derandomized: the default run checks the same cases every time (scripts/fuzz explores).
FAST = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@FAST
@given(project_texts())
def test_fuzz_project_loader_refuses_or_writes_everywhere(text):
    check_project(text)


@FAST
@given(xliff_bytes())
def test_fuzz_xliff_import_refuses_or_writes_everywhere(data):
    check_xliff(data)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(reader_inputs())
def test_fuzz_readers_refuse_or_write_everywhere(case):
    with tempfile.TemporaryDirectory() as tmp:
        check_reader(case, Path(tmp))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(docx_containers())
def test_fuzz_docx_containers_refuse_or_read(data):
    with tempfile.TemporaryDirectory() as tmp:
        check_docx_container(data, Path(tmp))
