"""The typed context every handler receives: the core's services, without string keys."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services import Services


class BotData:
    """The Application's ``bot_data``: the services, once started."""

    def __init__(self) -> None:
        self.services: Services | None = None


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """One per update, shared by every handler group that handles it."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("the bot's services are not running")
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
BotApp = Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
