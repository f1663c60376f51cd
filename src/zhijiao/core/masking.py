"""How personal data looks on screen: masked everywhere except to its owner and authorised officers."""


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` → ``110105********002X`` (region and the last four stay readable)."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812341234`` → ``138****1234``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    """``zhangsan@example.cn`` → ``z***@example.cn``."""
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``: the family name stays, the given name is hidden."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_uscc(value: str) -> str:
    return value[:8] + "******" + value[-4:] if len(value) == 18 else value
