from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "eyecontact.networks"
    label = "networks"
    verbose_name = "Networks and connections"
