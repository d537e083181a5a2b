"""The sample kind's demo part, registered the way any kind registers one."""

from sammen.demo.parts import Demo, register_demo_part

# The demos the part was given, for the tests to read (this kind only exists in tests).
# It builds no activity, so the demo stays the same for every other test.
GIVEN: list[Demo] = []


def build_demo(demo: Demo) -> None:
    GIVEN.append(demo)


def register_demo() -> None:
    register_demo_part("sample", build_demo)
