"""A rotation's colour, for the grid, its legend and the spreadsheets: the one the program file
gives (`color: "#RRGGBB"`), else one for its kind of activity, so a program that names no colour
still reads at a glance. Text on a cell is black or white, whichever contrasts more (WCAG's
relative luminance), so every abbreviation stays readable on its colour."""

from __future__ import annotations

from residency.rotations.models import ActivityType, RotationTemplate

COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"

# Light, distinct fills; each one is readable with black text (tests/rotations check it).
BY_ACTIVITY = {
    ActivityType.INPATIENT: "#F4A6A6",
    ActivityType.NIGHT_FLOAT: "#A9B4E8",
    ActivityType.OUTPATIENT: "#A8D8B0",
    ActivityType.CLINIC: "#9FD3E6",
    ActivityType.CALL: "#F6C28B",
    ActivityType.PROCEDURE: "#D7B4E3",
    ActivityType.EDUCATION: "#F3E19A",
    ActivityType.ORIENTATION: "#CFE3A1",
    ActivityType.LEAVE: "#D9D9D9",
    ActivityType.OFF: "#EEEEEE",
}


def display_color(template: RotationTemplate) -> str:
    return (template.color or BY_ACTIVITY[ActivityType(template.activity_type)]).upper()


def relative_luminance(color: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color(fill: str) -> str:
    """Black or white, whichever reads better on the fill."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"
