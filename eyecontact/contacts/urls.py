"""The CardDAV address books under /dav/ (see :mod:`.dav`)."""

from django.urls import path

from . import dav

urlpatterns = [
    path("", dav.root, name="dav_root"),
    path("principals/<int:user_id>/", dav.principal, name="dav_principal"),
    path("addressbooks/", dav.home, name="dav_home"),
    path("addressbooks/<slug:slug>/", dav.address_book, name="dav_address_book"),
    path("addressbooks/<slug:slug>/<str:name>", dav.card, name="dav_card"),
]
