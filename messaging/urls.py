from django.urls import path

# Registers the messaging dashboard panel (see portal/dashboard.py).
from messaging import panels  # noqa: F401
from messaging.views import brands, campaigns, numbers

app_name = "messaging"

urlpatterns = [
    path("", numbers.messaging_index, name="index"),
    path("bulk/destination/", numbers.bulk_destination, name="bulk_destination"),
    path("bulk/campaign/", numbers.bulk_campaign, name="bulk_campaign"),
    path("numbers/<str:tn>/panel/", numbers.number_panel, name="number_panel"),
    path("numbers/<str:tn>/enable/", numbers.number_enable, name="number_enable"),
    path("numbers/<str:tn>/destination/", numbers.number_destination, name="number_destination"),
    path("numbers/<str:tn>/campaign/", numbers.number_campaign, name="number_campaign"),
    path("numbers/<str:tn>/send/", numbers.number_send, name="number_send"),
    path("brands/", brands.brand_list, name="brands"),
    path("brands/new/", brands.brand_new, name="brand_new"),
    path("brands/create/", brands.brand_create, name="brand_create"),
    path("brands/<str:customer_id>/", brands.brand_detail, name="brand"),
    path("brands/<str:customer_id>/edit/", brands.brand_edit, name="brand_edit"),
    path("brands/<str:customer_id>/otp/", brands.brand_otp, name="brand_otp"),
    path("brands/<str:customer_id>/check/", brands.brand_check, name="brand_check"),
    path("brands/<str:customer_id>/delete/", brands.brand_delete, name="brand_delete"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/create/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/register/", campaigns.campaign_register, name="campaign_register"),
    path("campaigns/<str:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<str:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<str:campaign_id>/resubmit/",
        campaigns.campaign_resubmit,
        name="campaign_resubmit",
    ),
    path(
        "campaigns/<str:campaign_id>/reasons/", campaigns.campaign_reasons, name="campaign_reasons"
    ),
    path("campaigns/<str:campaign_id>/delete/", campaigns.campaign_delete, name="campaign_delete"),
]
