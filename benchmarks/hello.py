"""The baseline: a minimal two-command Typer app, the least a Typer CLI can cost.

`benchmarks/run` times `python benchmarks/hello.py hello World` in the same environment
as yiguan; yiguan's targets are ratios to this. Two commands, so that Typer builds a
command group as it does for yiguan (a single command would take a shorter path).
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str) -> None:
    print(f"Hello {name}")


@app.command()
def goodbye(name: str) -> None:
    print(f"Bye {name}")


if __name__ == "__main__":
    app()
