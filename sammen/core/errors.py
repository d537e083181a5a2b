class ActionRefused(Exception):
    """An action that cannot be done as asked. The message is translated and shown as is.

    Actions raise it before changing anything, so the caller can show the message
    and know the data is as it was.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
