"""What every request body shares: a field the route does not know is refused (422 naming
it), so a typo never silently falls back to a default."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
