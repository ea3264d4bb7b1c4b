"""VI's API 3.0 contract as data: every type and operation of our APIService.wsdl.

`build.py` turns this into the WSDL file the client and the sandbox load at run time.

Two kinds of entries live here:

* Those VI's 2014 production WSDL defines (48 operations and all their types). They carry no
  `evidence`, because they must stay exactly as VI wrote them: same names and casing, same
  order, same types, same minOccurs/maxOccurs/nillable. The conformance test compares them.
* Extensions: the 50 operations VI documents only in prose (API-3.0-METHODS.txt, WIRE-FORMAT
  §3), the types they need, and a few trailing optional elements added to 2014 types. Each
  carries `evidence`, written into the WSDL as a comment, so a reader knows what is VI's word
  and what we designed.

Style follows what ASP.NET's XmlSerializer emitted for VI's own types: reference types
(strings, objects, arrays) are minOccurs=0; value types (int, boolean, decimal) are
minOccurs=1; nullable dates are minOccurs=1 and nillable; array items are nillable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "s:<xsd type>" or "tns:<our type>"
    min_occurs: int = 0
    max_occurs: str = "1"
    nillable: bool = False
    evidence: str | None = None  # None: defined by VI's 2014 production WSDL


@dataclass(frozen=True)
class ComplexType:
    name: str
    fields: tuple[Field, ...]
    evidence: str | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    params: tuple[Field, ...]  # after login and secret, which every operation takes first
    result: str  # the complexType name of <name>Result
    evidence: str | None = None


# --- field helpers, named after what XmlSerializer made of each .NET type --------------------


def string(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:string", evidence=evidence)


def integer(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:int", min_occurs=1, evidence=evidence)


def boolean(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:boolean", min_occurs=1, evidence=evidence)


def decimal(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:decimal", min_occurs=1, evidence=evidence)


def base64(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:base64Binary", evidence=evidence)


def nullable_date(name: str, *, evidence: str | None = None) -> Field:
    """A .NET `DateTime?`: always present, `xsi:nil` when there is no value."""
    return Field(name, "s:dateTime", min_occurs=1, nillable=True, evidence=evidence)


def nullable_int(name: str, *, evidence: str | None = None) -> Field:
    return Field(name, "s:int", min_occurs=1, nillable=True, evidence=evidence)


def of(name: str, type_name: str, *, evidence: str | None = None) -> Field:
    """An element holding one of our complex types (a single object or an ArrayOf…)."""
    return Field(name, f"tns:{type_name}", evidence=evidence)


def array_of(item_type: str, *, evidence: str | None = None) -> ComplexType:
    """VI's list wrapper: `ArrayOfX` holding any number of nillable `<X>` items."""
    return ComplexType(
        f"ArrayOf{item_type}",
        (Field(item_type, f"tns:{item_type}", max_occurs="unbounded", nillable=True),),
        evidence=evidence,
    )


def response(name: str, *fields: Field, evidence: str | None = None) -> ComplexType:
    """Every VI result starts with an int responseCode and a text responseMessage."""
    return ComplexType(
        name, (integer("responseCode"), string("responseMessage"), *fields), evidence=evidence
    )


def strings(*names: str) -> tuple[Field, ...]:
    return tuple(string(name) for name in names)


# --- types defined by VI's 2014 production WSDL -------------------------------------------

ADDRESS_911 = strings("address1", "address2", "city", "state", "zip", "plusFour", "callerName")
SEARCH_CRITERIA = strings("state", "lata", "rateCenter", "npa", "nxx", "tier", "t38", "cnam")

PRODUCTION_TYPES: tuple[ComplexType, ...] = (
    # 911
    response(
        "Response911",
        of("Statuses", "ArrayOfStatus911"),
        of("DID911s", "ArrayOfDID911"),
        of("VILocations", "ArrayOfVILocation"),
        of("Alerts", "ArrayOfString"),
    ),
    array_of("Status911"),
    ComplexType("Status911", strings("code", "description")),
    array_of("DID911"),
    ComplexType(
        "DID911",
        (
            *strings(
                "locationId",
                "tn",
                "callerName",
                "address1",
                "address2",
                "city",
                "state",
                "zipCode",
                "latitude",
                "longitude",
                "statusCode",
                "statusDescription",
            ),
            Field("activatedTime", "s:dateTime", nillable=True),
            Field("dateAdded", "s:dateTime", nillable=True),
        ),
    ),
    array_of("VILocation"),
    ComplexType(
        "VILocation",
        (
            *strings(
                "locationId",
                "address1",
                "address2",
                "city",
                "state",
                "zipCode",
                "plusFour",
                "callerName",
                "latitude",
                "longitude",
                "statusCode",
                "statusDescription",
                "orderId",
            ),
            Field("activatedTime", "s:dateTime"),
            Field("updateTime", "s:dateTime"),
        ),
    ),
    ComplexType(
        "ArrayOfString",
        (Field("string", "s:string", max_occurs="unbounded", nillable=True),),
    ),
    # numbers
    array_of("DIDParam"),
    ComplexType("DIDParam", (*strings("tn", "cnam", "refId"), integer("epg"))),
    response(
        "DIDResponse",
        of("DIDs", "ArrayOfDID"),
        of("DIDLocators", "ArrayOfDIDLocator"),
        of("DIDCounts", "ArrayOfDIDCount"),
        of("DIDGroups", "ArrayOfDIDGroup"),
        of("ConferenceLine", "ConferenceLine"),
    ),
    array_of("DID"),
    ComplexType(
        "DID",
        (
            *strings(
                "tn",
                "availability",
                "rewrite",
                "status",
                "statusCode",
                "tier",
                "refId",
                "failover",
                "forward",
                "cnamName",
                "state",
                "rateCenter",
                "didGroupId",
                "Network",
            ),
            integer("endpointId"),
            Field("expireDate", "s:dateTime", nillable=True),
            boolean("has411"),
            boolean("has911"),
            boolean("cnam"),
            boolean("cnamStorageActive"),
            boolean("cnamStorageAvailability"),
            boolean("t38"),
        ),
    ),
    array_of("DIDLocator"),
    ComplexType(
        "DIDLocator",
        (
            *strings("tn", "rateCenter", "state", "tier"),
            integer("lataId"),
            boolean("outboundCNAM"),
            boolean("t38"),
            boolean("sms"),
        ),
    ),
    array_of("DIDCount"),
    ComplexType(
        "DIDCount",
        (
            *strings("didCount", "rateCenter", "state", "tier"),
            integer("lataId"),
            boolean("cnam"),
            boolean("t38"),
            boolean("sms"),
        ),
    ),
    array_of("DIDGroup"),
    ComplexType("DIDGroup", (string("Name"), integer("ID"))),
    ComplexType(
        "ConferenceLine",
        (
            boolean("Enabled"),
            string("PIN"),
            string(
                "TN",
                evidence="API-3.0-METHODS 3.42: ConferenceLine now includes TN; needed by "
                "AuditConferenceLines (3.60)",
            ),
        ),
    ),
    # ports
    response(
        "PortResponse",
        of("PortDetails", "PortDetail"),
        boolean("IsPortable"),
        of(
            "ActivePorts",
            "ArrayOfPortDetail",
            evidence="API-3.0-METHODS 3.64 getActivePorts (all active ports); designed here as "
            "a list, PortDetails holds only one",
        ),
        of(
            "PortHistory",
            "ArrayOfPortHistoryEntry",
            evidence="API-3.0-METHODS 3.52 GetPortHistory populates PortHistory; entry fields "
            "designed here",
        ),
    ),
    ComplexType(
        "PortDetail",
        (
            integer("id"),
            *strings("status", "endUser", "billingTN", "portingFrom", "salesRep"),
            nullable_date("submittedDate"),
            nullable_date("focDate"),
            nullable_date("requestedFocDate"),
            of("dids", "ArrayOfPortDID"),
            nullable_int("defaultEndpointGroup"),
        ),
    ),
    array_of("PortDID"),
    ComplexType(
        "PortDID",
        (
            *strings("tn", "tier", "rateCenter", "state", "lata"),
            integer("endpointGroup"),
            boolean("cnam"),
            boolean("e911"),
        ),
    ),
    # international
    response(
        "IntlResponse",
        of("Countries", "ArrayOfCountry"),
        of("DIDs", "ArrayOfIntlDID"),
        of("DID", "IntlDID"),
    ),
    array_of("Country"),
    ComplexType("Country", (*strings("name", "abbrev"), of("cities", "ArrayOfCity"))),
    array_of("City"),
    ComplexType("City", (string("name"), integer("id"))),
    array_of("IntlDID"),
    ComplexType("IntlDID", strings("tn", "country", "city", "tier", "status")),
    # features
    response("CNAMResponse", string("DisplayName")),
    response("FaxToEmailResponse", string("Email")),
    response("NumericResponse", decimal("Amount")),
)


# --- types we designed for operations VI documents only in prose ----------------------------

EXTENSION_TYPES: tuple[ComplexType, ...] = (
    # ports
    array_of(
        "PortDetail", evidence="API-3.0-METHODS 3.64: getActivePorts returns every active port"
    ),
    array_of("PortHistoryEntry", evidence="API-3.0-METHODS 3.52 PortHistory"),
    ComplexType(
        "PortHistoryEntry",
        (
            string("tn"),
            integer("portId"),
            string("status"),
            nullable_date("date"),
            string("description"),
        ),
        evidence="designed here: VI names PortHistory (3.52) but documents no fields",
    ),
    # generic lists
    response(
        "Response",
        of("responseData", "ArrayOfString"),
        evidence="API-3.0-METHODS 3.50, 3.51, 3.66-3.68: Response with responseData; "
        "responseData typed here as a list of strings",
    ),
    response(
        "TNResponse",
        of("TNs", "ArrayOfString"),
        evidence="API-3.0-METHODS 3.47, 3.48: TNResponse with TNs (array of strings)",
    ),
    # account audits
    response(
        "AuditResponse",
        of("Clients", "ArrayOfClient"),
        of("EndpointGroups", "ArrayOfEndpointGroup"),
        of("ConferenceLines", "ArrayOfConferenceLine"),
        of("DIDFailovers", "ArrayOfDIDFailover"),
        of("DIDForwards", "ArrayOfDIDForward"),
        of("FaxToEmails", "ArrayOfFaxToEmail"),
        evidence="API-3.0-METHODS 3.57-3.63 name AuditResponse; wiki Data Objects name Client, "
        "EndpointGroup, DIDFailover, DIDForward; list names designed here",
    ),
    array_of("Client", evidence="API-3.0-METHODS 3.57"),
    ComplexType(
        "Client",
        (
            integer("id"),
            string("name"),
            of("EndpointGroups", "ArrayOfEndpointGroup"),
            of("DIDGroups", "ArrayOfDIDGroup"),
            of("E911Groups", "ArrayOfString"),
            decimal("monthToDateUsage"),
            of("HostedBillingCustomers", "ArrayOfString"),
            of("DIDFailovers", "ArrayOfDIDFailover"),
            of("DIDForwards", "ArrayOfDIDForward"),
            of("ConferenceLines", "ArrayOfConferenceLine"),
            of("FaxToEmails", "ArrayOfFaxToEmail"),
        ),
        evidence="API-3.0-METHODS 3.57; fields per its text (endpoint groups, DID groups, E911 "
        "groups, usage, Hosted Billing customers, failovers, forwards, conference lines, fax to "
        "email)",
    ),
    array_of("EndpointGroup", evidence="API-3.0-METHODS 3.58"),
    ComplexType(
        "EndpointGroup",
        (
            integer("id"),
            string("name"),
            string("client"),
            integer("port"),
            string("prepend"),
            string("rateDeck"),
            boolean("stripPlus"),
            boolean("stripCountryCode"),
            boolean("international"),
            decimal("monthToDateUsage"),
            of("ipAddresses", "ArrayOfString"),
            boolean("active"),
        ),
        evidence="API-3.0-METHODS 3.58; fields per its text, active per 3.50/3.51",
    ),
    array_of("ConferenceLine", evidence="API-3.0-METHODS 3.60"),
    array_of("DIDFailover", evidence="API-3.0-METHODS 3.61"),
    ComplexType(
        "DIDFailover",
        strings("TN", "FailoverTN"),
        evidence="API-3.0-METHODS 3.61; fields per its text (TN, FailoverTN)",
    ),
    array_of("DIDForward", evidence="API-3.0-METHODS 3.62"),
    ComplexType(
        "DIDForward",
        strings("TN", "ForwardTN"),
        evidence="API-3.0-METHODS 3.62; fields per its text (TN, ForwardTN)",
    ),
    array_of("FaxToEmail", evidence="API-3.0-METHODS 3.63"),
    ComplexType(
        "FaxToEmail",
        (
            string("TN"),
            string("Email"),
            boolean(
                "failureNotifications",
                evidence="designed here: the setting ConfigFaxToEmailNotifications (3.46) changes",
            ),
        ),
        evidence="API-3.0-METHODS 3.63; fields per its text (TN, Email)",
    ),
    # email to fax, programmable telco
    response(
        "EmailToFaxResponse",
        of("Emails", "ArrayOfString"),
        string("CallerID"),
        evidence="API-3.0-METHODS 3.72-3.74 (EmailToFaxResponse; Email, CallerID); Emails is a "
        "list because a DID holds several (3.73)",
    ),
    response(
        "ProgrammableTelcoResponse",
        of("Scripts", "ArrayOfProgrammableTelcoScript"),
        evidence="API-3.0-METHODS 3.69-3.71 (ProgrammableTelcoResponse, ProgrammableTelcoScript)",
    ),
    array_of("ProgrammableTelcoScript", evidence="API-3.0-METHODS 3.69"),
    ComplexType(
        "ProgrammableTelcoScript",
        (string("id"), string("name"), string("url"), of("tns", "ArrayOfString")),
        evidence="designed here: wiki Data Objects name ProgrammableTelcoScript, no fields; id is "
        "the scriptId of ProgramDID (3.70)",
    ),
    # SMS
    response(
        "SMSResponse",
        of("SMSDIDs", "ArrayOfSMSDID"),
        string("Uuid"),
        of("MsgDetails", "MsgDetails"),
        evidence="API-3.0-METHODS 3.53-3.55, 3.65; WIRE-FORMAT §3 (3CX connector: Uuid, "
        "MsgDetails); SMSDIDs list name designed here",
    ),
    array_of("SMSDID", evidence="API-3.0-METHODS 3.53, 3.54, 3.65"),
    ComplexType(
        "SMSDID",
        (
            string("tn"),
            boolean("enabled"),
            string("DestinationType"),
            string("Destination"),
            string("Forward"),
            boolean("DLR"),
            string("campaignId"),
        ),
        evidence="WIRE-FORMAT §3 (SMSDID has DLR, DestinationType, Destination); API-3.0-METHODS "
        "3.54 (Forward, active); campaignId designed here for 10DLC",
    ),
    ComplexType(
        "MsgDetails",
        (boolean("success"), *strings("code", "data", "status", "uuid")),
        evidence="WIRE-FORMAT §3: 3CX connector reads MsgDetails{success, code, data, status, "
        "uuid}; types designed here",
    ),
    response(
        "MMSResponse",
        string("Uuid"),
        of("MsgDetails", "MsgDetails"),
        of("files", "ArrayOfMMSFile"),
        evidence="API-3.0-METHODS 3.56 (MMSResponse); Uuid/MsgDetails as SMSResponse, files echo "
        "what was accepted (content may be left out); designed here",
    ),
    array_of("MMSFile", evidence="API-3.0-METHODS 3.56: files is an ArrayOfMMSFile"),
    ComplexType(
        "MMSFile",
        (string("fileName"), string("contentType"), base64("content")),
        evidence="designed here: VI names ArrayOfMMSFile (3.56) but documents no fields",
    ),
    # 10DLC
    response(
        "SMS10DLCResponse",
        of("Customers", "ArrayOfSMSCustomer"),
        of("Campaigns", "ArrayOfSMSCampaign"),
        of("RejectionReasons", "ArrayOfString"),
        of("Enumerations", "ArrayOfSMSEnumeration"),
        of("UsecaseOptions", "ArrayOfSMSUsecaseOption"),
        of("TNResults", "ArrayOfSMSTNResult"),
        evidence="designed here: VI documents no response for 3.77-3.93; the name SMS10DLCResponse "
        "and Campaigns come from a C# client (WIRE-FORMAT §3)",
    ),
    array_of("SMSCustomer", evidence="designed here (3.77, 3.88)"),
    ComplexType(
        "SMSCustomer",
        (
            *strings(
                "customerId",
                "tag",
                "companyName",
                "displayName",
                "entityType",
                "vertical",
                "ein",
                "einCountry",
                "website",
                "email",
                "phone",
                "street",
                "city",
                "state",
                "postalCode",
                "country",
                "stockSymbol",
                "stockExchange",
                "firstName",
                "lastName",
                "status",
                "verificationStatus",
            ),
            nullable_date("createdDate"),
        ),
        evidence="designed here: API-3.0-METHODS 3.82 names SMSCustomer, no fields; fields follow "
        "The Campaign Registry brand",
    ),
    array_of("SMSCampaign", evidence="designed here (3.78)"),
    ComplexType(
        "SMSCampaign",
        (
            string(
                "CampaignId",
                evidence="C# client over VI's production WSDL reads Campaigns[].CampaignId "
                "(WIRE-FORMAT §3); its proxy keeps VI's element names, so the capital C is VI's",
            ),
            *strings(
                "customerId",
                "displayName",
                "description",
                "usecaseId",
                "subUsecaseIds",
                "vertical",
                "messageFlow",
                "helpMessage",
                "optOutMessage",
                "sampleMsg1",
                "sampleMsg2",
            ),
            boolean("subOptIn"),
            boolean("subOptOut"),
            boolean("subHelp"),
            boolean("numPooling"),
            boolean("directLending"),
            boolean("embeddedLink"),
            boolean("embeddedPhone"),
            boolean("affMarketing"),
            boolean("ageGated"),
            string("status"),
            nullable_date("createdDate"),
            of("tns", "ArrayOfString"),
            boolean("external"),
        ),
        evidence="designed here: fields per the parameters of 3.81 and 3.92; status is PENDING, "
        "ACTIVE, REJECTED, EXPIRED or DELETED; external per 3.89",
    ),
    array_of("SMSEnumeration", evidence="designed here (3.85)"),
    ComplexType(
        "SMSEnumeration",
        (string("kind"), of("values", "ArrayOfSMSEnumerationValue")),
        evidence="designed here: one kind (ENTITY_TYPE, VERTICAL, ...) with its name/value pairs",
    ),
    array_of("SMSEnumerationValue", evidence="designed here (3.85)"),
    ComplexType("SMSEnumerationValue", strings("name", "value"), evidence="designed here (3.85)"),
    array_of("SMSUsecaseOption", evidence="designed here (3.86)"),
    ComplexType(
        "SMSUsecaseOption",
        (
            *strings("usecaseId", "name", "description"),
            integer("minSubUsecases"),
            integer("maxSubUsecases"),
            of("subUsecases", "ArrayOfString"),
        ),
        evidence="designed here: a use case a customer may register (3.86)",
    ),
    array_of("SMSTNResult", evidence="designed here (3.79, 3.80)"),
    ComplexType(
        "SMSTNResult",
        strings("tn", "statusCode", "status"),
        evidence="designed here: per-number outcome of AssignToSMSCampaign / "
        "RemoveFromSMSCampaign, like DID/statusCode",
    ),
)

TYPES: tuple[ComplexType, ...] = PRODUCTION_TYPES + EXTENSION_TYPES


# --- operations ---------------------------------------------------------------------------


def op(name: str, result: str, *params: Field, evidence: str | None = None) -> Operation:
    return Operation(name, tuple(params), result, evidence=evidence)


PRODUCTION_OPERATIONS: tuple[Operation, ...] = (
    # 911 and legacy locations
    op("addLocation", "Response911", string("did"), *ADDRESS_911),
    op("audit911", "Response911"),
    op("getLocations", "Response911", string("did")),
    op("getProvisioningHistory", "Response911", string("did")),
    op("insert911", "Response911", string("did"), *ADDRESS_911),
    op("provisionLocation", "Response911", *strings("did", "locationId")),
    op("query911", "Response911", string("did")),
    op("remove911", "Response911", string("did")),
    op("removeLocation", "Response911", *strings("locationId", "did")),
    op("update911", "Response911", string("did"), *ADDRESS_911),
    op("validate911", "Response911", *ADDRESS_911),
    op("Add911Alert", "Response911", *strings("tn", "email")),
    op("Remove911Alert", "Response911", *strings("tn", "email")),
    op("Query911Alert", "Response911", string("tn")),
    # numbers
    op("assignDID", "DIDResponse", of("didParams", "ArrayOfDIDParam")),
    op("auditDIDs", "DIDResponse"),
    op("AuditDIDGroup", "DIDResponse", integer("groupId")),
    op("configDID", "DIDResponse", of("didParams", "ArrayOfDIDParam")),
    op("getDIDCount", "DIDResponse", *SEARCH_CRITERIA, *strings("orderby", "sms", "network")),
    op("getDIDs", "DIDResponse", *SEARCH_CRITERIA, *strings("sms", "network")),
    op("queryDID", "DIDResponse", string("did")),
    op("releaseDID", "DIDResponse", of("didParams", "ArrayOfDIDParam")),
    op("reserveDID", "DIDResponse", of("didParams", "ArrayOfDIDParam")),
    op("UpdateDIDFailover", "DIDResponse", *strings("tn", "failover")),
    op("GetDIDFailover", "DIDResponse", string("tn")),
    op("GetDIDForward", "DIDResponse", string("tn")),
    op("SetDIDForward", "DIDResponse", *strings("tn", "forward")),
    op("RemoveDIDForward", "DIDResponse", *strings("tn", "epgId")),
    op("GetDIDGroup", "DIDResponse", string("tn")),
    op("SetDIDGroup", "DIDResponse", string("tn"), integer("groupId")),
    op("RemoveDIDGroup", "DIDResponse", string("tn")),
    op("GetDIDGroups", "DIDResponse"),
    op("SetConferenceLine", "DIDResponse", *strings("tn", "pin")),
    op("GetConferenceLine", "DIDResponse", string("tn")),
    op("RemoveConferenceLine", "DIDResponse", string("tn")),
    op("GetPrepaidBalance", "NumericResponse"),
    # ports
    op("getPortDetails", "PortResponse", integer("portId")),
    op("isPortable", "PortResponse", string("tn")),
    # international
    op("GetCountries", "IntlResponse"),
    op("AssignIntlDID", "IntlResponse", integer("cityID"), integer("epgID")),
    op("ReleaseIntlDID", "IntlResponse", string("tn")),
    op("AuditIntlDIDs", "IntlResponse"),
    # CNAM, fax to email
    op("GetCNAMDisplay", "CNAMResponse", string("tn")),
    op("UpdateCNAMDisplay", "CNAMResponse", *strings("tn", "name")),
    op("RemoveCNAM", "CNAMResponse", string("tn")),
    op("SetFaxToEmail", "FaxToEmailResponse", *strings("tn", "email")),
    op("GetFaxToEmail", "FaxToEmailResponse", string("tn")),
    op("RemoveFaxToEmail", "FaxToEmailResponse", string("tn")),
)

DID_PARAMS = of("didParams", "ArrayOfDIDParam")

EXTENSION_OPERATIONS: tuple[Operation, ...] = (
    # numbers and inventory
    op(
        "CreateDIDGroup",
        "DIDResponse",
        string("name"),
        evidence="API-3.0-METHODS 3.33; C# client (name) -> DIDResponse with DIDGroups",
    ),
    op(
        "ConfigFaxToEmailNotifications",
        "FaxToEmailResponse",
        string("tn"),
        boolean("enabled"),
        evidence="API-3.0-METHODS 3.46; its unnamed 'enabled/disabled' boolean named enabled here",
    ),
    op(
        "GetInventoryTNs",
        "TNResponse",
        string("didType"),
        evidence="API-3.0-METHODS 3.47",
    ),
    op(
        "GetUnconfiguredTNs",
        "TNResponse",
        string("didType"),
        evidence="API-3.0-METHODS 3.48",
    ),
    op(
        "InventoryDIDs",
        "DIDResponse",
        DID_PARAMS,
        evidence="API-3.0-METHODS 3.49 (DIDParam list); WIRE-FORMAT §3 wiki: returns DIDResponse",
    ),
    op(
        "DeactivateEndpointGroup",
        "Response",
        string("groupid"),
        evidence="API-3.0-METHODS 3.50 (groupid, String, as VI spells it)",
    ),
    op(
        "ActivateEndpointGroup",
        "Response",
        string("groupid"),
        evidence="API-3.0-METHODS 3.51 (groupid, String, as VI spells it)",
    ),
    # ports
    op(
        "GetPortHistory",
        "PortResponse",
        string("tn"),
        evidence="API-3.0-METHODS 3.52 -> PortResponse with PortHistory",
    ),
    op(
        "getActivePorts",
        "PortResponse",
        evidence="API-3.0-METHODS 3.64 -> PortResponse; ports listed in ActivePorts",
    ),
    # SMS
    op(
        "ConfigSMS",
        "SMSResponse",
        string("tn"),
        boolean("enable"),
        string("forwardEmail"),
        evidence="API-3.0-METHODS 3.53 (deprecated); C# client ConfigSMS(login, secret, tn, bool, "
        "forwardEmail)",
    ),
    op("AuditSMS", "SMSResponse", string("tn"), evidence="API-3.0-METHODS 3.54"),
    op(
        "SendSMS",
        "SMSResponse",
        *strings("sender", "recipient", "message"),
        evidence="API-3.0-METHODS 3.55; PHP client against production (WIRE-FORMAT §3)",
    ),
    op(
        "SendMMS",
        "MMSResponse",
        *strings("sender", "recipient", "message"),
        of("files", "ArrayOfMMSFile"),
        evidence="API-3.0-METHODS 3.56",
    ),
    op(
        "ConfigSMSDestination",
        "SMSResponse",
        *strings("tn", "destinationType", "destination", "authToken"),
        evidence="API-3.0-METHODS 3.65; destination per 3CX connector README (WIRE-FORMAT §3)",
    ),
    # account audits
    op("AuditClients", "AuditResponse", evidence="API-3.0-METHODS 3.57"),
    op("AuditEndpointGroups", "AuditResponse", evidence="API-3.0-METHODS 3.58"),
    op(
        "AuditEndpointGroup",
        "AuditResponse",
        integer("groupId"),
        evidence="API-3.0-METHODS 3.59 (groupId, Integer)",
    ),
    op("AuditConferenceLines", "AuditResponse", evidence="API-3.0-METHODS 3.60"),
    op("AuditDIDFailovers", "AuditResponse", evidence="API-3.0-METHODS 3.61"),
    op("AuditDIDForwards", "AuditResponse", evidence="API-3.0-METHODS 3.62"),
    op("AuditFaxToEmails", "AuditResponse", evidence="API-3.0-METHODS 3.63"),
    # coverage
    op(
        "GetAvailableNPAs",
        "Response",
        *strings("state", "ratecenter"),
        evidence="API-3.0-METHODS 3.66 (ratecenter, as VI spells it)",
    ),
    op(
        "GetAvailableRateCenters",
        "Response",
        string("state"),
        evidence="API-3.0-METHODS 3.67",
    ),
    op("GetAvailableStates", "Response", evidence="API-3.0-METHODS 3.68"),
    # programmable telco
    op("GetScripts", "ProgrammableTelcoResponse", evidence="API-3.0-METHODS 3.69"),
    op(
        "ProgramDID",
        "ProgrammableTelcoResponse",
        *strings("did", "scriptId"),
        evidence="API-3.0-METHODS 3.70",
    ),
    op(
        "UnprogramDID",
        "ProgrammableTelcoResponse",
        *strings("did", "endpointGroupId"),
        evidence="API-3.0-METHODS 3.71",
    ),
    # email to fax
    op(
        "AddEmailToFax",
        "EmailToFaxResponse",
        *strings("tn", "email"),
        evidence="API-3.0-METHODS 3.72; its unnamed email parameter named email as in "
        "SetFaxToEmail",
    ),
    op("GetEmailToFax", "EmailToFaxResponse", string("tn"), evidence="API-3.0-METHODS 3.73"),
    op(
        "RemoveEmailToFax",
        "EmailToFaxResponse",
        *strings("tn", "email"),
        evidence="API-3.0-METHODS 3.74 lists only the email; tn added here to name the DID",
    ),
    # extended inventory
    op(
        "getDIDsExtended",
        "DIDResponse",
        *SEARCH_CRITERIA,
        *strings("sms", "network"),
        evidence="API-3.0-METHODS 3.75: getDIDs' criteria (network spelt as in getDIDs)",
    ),
    op(
        "assignDIDExtended",
        "DIDResponse",
        DID_PARAMS,
        evidence="API-3.0-METHODS 3.76: DIDParam list as assignDID",
    ),
    # 10DLC
    op(
        "GetSMSCustomers",
        "SMS10DLCResponse",
        evidence="API-3.0-METHODS 3.77; response designed here (Customers)",
    ),
    op(
        "GetSMSCampaigns",
        "SMS10DLCResponse",
        evidence="API-3.0-METHODS 3.78; C# client: SMS10DLCResponse with Campaigns",
    ),
    op(
        "AssignToSMSCampaign",
        "SMS10DLCResponse",
        of("tns", "ArrayOfString"),
        string("campaignId"),
        evidence="API-3.0-METHODS 3.79; C# client: tns is ArrayOfString; outcome per number in "
        "TNResults",
    ),
    op(
        "RemoveFromSMSCampaign",
        "SMS10DLCResponse",
        of("tns", "ArrayOfString"),
        evidence="API-3.0-METHODS 3.80; tns as AssignToSMSCampaign; outcome per number in "
        "TNResults",
    ),
    op(
        "CreateSMSCampaign",
        "SMS10DLCResponse",
        *strings(
            "customerId",
            "description",
            "displayName",
            "vertical",
            "messageFlow",
            "sampleMsg1",
            "sampleMsg2",
        ),
        boolean("subOptIn"),
        boolean("subOptOut"),
        boolean("subHelp"),
        boolean("numPooling"),
        boolean("directLending"),
        boolean("embeddedLink"),
        boolean("embeddedPhone"),
        boolean("affMarketing"),
        boolean("ageGated"),
        *strings("usecaseId", "subUsecaseIds"),
        evidence="API-3.0-METHODS 3.81 (parameters in its order); response Campaigns",
    ),
    op(
        "CreateSMSCustomer",
        "SMS10DLCResponse",
        of("customer", "SMSCustomer"),
        evidence="API-3.0-METHODS 3.82 (customer: SMSCustomer); response Customers",
    ),
    op(
        "DeleteSMSCustomer",
        "SMS10DLCResponse",
        string("customerId"),
        evidence="API-3.0-METHODS 3.83; response designed here",
    ),
    op(
        "DeleteSMSCampaign",
        "SMS10DLCResponse",
        string("campaignId"),
        evidence="API-3.0-METHODS 3.84; response designed here",
    ),
    op(
        "GetSMSEnumerations",
        "SMS10DLCResponse",
        evidence="API-3.0-METHODS 3.85; response Enumerations designed here",
    ),
    op(
        "GetSMSUsecaseOptions",
        "SMS10DLCResponse",
        string("customerId"),
        evidence="API-3.0-METHODS 3.86; response UsecaseOptions designed here",
    ),
    op(
        "GetCampaignRejectionReason",
        "SMS10DLCResponse",
        string("campaignId"),
        evidence="API-3.0-METHODS 3.87; response RejectionReasons designed here",
    ),
    op(
        "GetSMSCustomersByTag",
        "SMS10DLCResponse",
        string("tag"),
        evidence="API-3.0-METHODS 3.88; response Customers designed here",
    ),
    op(
        "RegisterExternalSMSCampaign",
        "SMS10DLCResponse",
        *strings("campaignId", "displayName"),
        evidence="API-3.0-METHODS 3.89; response Campaigns designed here",
    ),
    op(
        "ResubmitExternalSMSCampaign",
        "SMS10DLCResponse",
        string("campaignId"),
        evidence="API-3.0-METHODS 3.90; response Campaigns designed here",
    ),
    op(
        "TriggerSMSOTP",
        "SMS10DLCResponse",
        string("customerId"),
        evidence="API-3.0-METHODS 3.91; response designed here",
    ),
    op(
        "UpdateSMSCampaign",
        "SMS10DLCResponse",
        *strings(
            "campaignId",
            "helpMessage",
            "optOutMessage",
            "messageFlow",
            "description",
            "sampleMsg1",
            "sampleMsg2",
        ),
        evidence="API-3.0-METHODS 3.92 (parameters in its order); response Campaigns",
    ),
    op(
        "UpdateSMSCustomer",
        "SMS10DLCResponse",
        of("customer", "SMSCustomer"),
        evidence="API-3.0-METHODS 3.92 (customer); typed SMSCustomer as CreateSMSCustomer",
    ),
    op(
        "CheckSMSCustomerStatus",
        "SMS10DLCResponse",
        string("customerId"),
        evidence="API-3.0-METHODS 3.93; status in Customers/SMSCustomer/verificationStatus",
    ),
)

OPERATIONS: tuple[Operation, ...] = PRODUCTION_OPERATIONS + EXTENSION_OPERATIONS

TARGET_NAMESPACE = "http://tempuri.org/"
SERVICE_ADDRESS = "https://backoffice.voipinnovations.com/Services/APIService.asmx"
