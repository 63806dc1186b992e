from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "eyecontact.accounts"
    label = "accounts"
    verbose_name = "Accounts and workspaces"
