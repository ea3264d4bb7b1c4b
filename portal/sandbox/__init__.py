"""A stateful stand-in for VoIP Innovations' SOAP API (see README.md). No Django imports here."""
