from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "eyecontact.contacts"
    label = "contacts"
    verbose_name = "Contacts on the phone"
