from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "eyecontact.events"
    label = "events"
    verbose_name = "Events and exhibits"
