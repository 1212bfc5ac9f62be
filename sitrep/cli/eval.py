"""``sitrep eval``: score sitrep against annotated sets.

Each evaluation is a subcommand registered here from its own module in ``sitrep.eval``.
"""

from __future__ import annotations

import click


@click.group("eval")
def eval_group() -> None:
    """Score extraction against an annotated set (precision, recall, F1, accuracy)."""


from sitrep.eval import geo as _geo  # noqa: E402

eval_group.add_command(_geo.geo_cmd)

from sitrep.cli import eval_events as _events  # noqa: E402

eval_group.add_command(_events.plover_cmd)
eval_group.add_command(_events.events_cmd)

from sitrep.eval import quotes as _quotes  # noqa: E402

eval_group.add_command(_quotes.quotes_cmd)

from sitrep.eval import wikievents as _wikievents  # noqa: E402

eval_group.add_command(_wikievents.wikievents_cmd)
