"""Rotation colours: the program file's, kept through export and import, else the activity
type's; every default is readable with the text colour chosen for it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from residency.program.demo import demo_program
from residency.program.export import export_program
from residency.program.service import import_program
from residency.rotations.colors import BY_ACTIVITY, contrast, display_color, text_color
from residency.rotations.models import RotationTemplate

AA_TEXT = 4.5  # WCAG's minimum contrast for normal text


def test_every_default_colour_is_readable_with_its_text_colour() -> None:
    for fill in BY_ACTIVITY.values():
        assert contrast(fill, text_color(fill)) >= AA_TEXT, fill
    assert text_color("#1F2937") == "#FFFFFF" and text_color("#F4A6A6") == "#000000"


def test_a_colour_from_the_program_file_is_kept_and_others_follow_their_type(
    session: Session,
) -> None:
    demo = demo_program()
    first = demo.rotations[0].model_copy(update={"color": "#123abc"})
    document = demo.model_copy(update={"rotations": [first, *demo.rotations[1:]]})
    import_program(session, document)
    chosen, other = (
        session.scalars(
            select(RotationTemplate).where(RotationTemplate.abbreviation == rotation.abbreviation)
        ).one()
        for rotation in document.rotations[:2]
    )
    assert display_color(chosen) == "#123ABC"
    assert display_color(other) == BY_ACTIVITY[other.activity_type]
    exported = {r.abbreviation: r.color for r in export_program(session).rotations}
    assert (exported[chosen.abbreviation], exported[other.abbreviation]) == ("#123ABC", None)
