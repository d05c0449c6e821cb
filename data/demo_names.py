"""Names, cities and bank codes for the demo company (fictional, several countries)."""

from __future__ import annotations

# country: ((first parts, middle parts, legal forms), cities)
COUNTRIES: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
                           tuple[str, ...]]] = {
    "DE": ((("Müller", "Schmidt", "Becker", "Hoffmann", "Wagner", "Schäfer", "Krüger"),
            ("Bürotechnik", "Handels", "Möbelwerk", "Logistik", "Elektro"),
            ("GmbH", "AG", "GmbH & Co. KG", "e.K.")),
           ("Berlin", "Hamburg", "München", "Köln", "Leipzig", "Düsseldorf")),
    "AT": ((("Gruber", "Huber", "Bauer", "Pichler"), ("Einrichtungen", "Handel", "Bau"),
            ("GmbH", "KG")), ("Wien", "Graz", "Linz", "Salzburg")),
    "FR": ((("Dupont", "Lefèvre", "Moreau", "Girard", "Rousseau"),
            ("Mobilier", "Distribution", "Équipements", "Services"), ("SARL", "SA", "SAS")),
           ("Paris", "Lyon", "Marseille", "Toulouse", "Lille")),
    "NL": ((("de Vries", "Jansen", "Bakker", "Visser", "Smit"),
            ("Kantoor", "Handel", "Techniek", "Groep"), ("B.V.", "N.V.")),
           ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven")),
    "PL": ((("Nowak", "Kowalski", "Wiśniewski", "Wójcik"), ("Meble", "Handel", "Serwis"),
            ("Sp. z o.o.", "S.A.")), ("Warszawa", "Kraków", "Gdańsk", "Wrocław")),
    "ES": ((("García", "Martínez", "López", "Sánchez"), ("Oficinas", "Distribuciones",
                                                         "Suministros"), ("S.L.", "S.A.")),
           ("Madrid", "Barcelona", "Valencia", "Sevilla")),
    "IT": ((("Rossi", "Bianchi", "Romano", "Colombo"), ("Arredamenti", "Forniture",
                                                       "Servizi"), ("S.r.l.", "S.p.A.")),
           ("Milano", "Roma", "Torino", "Bologna")),
    "BE": ((("Peeters", "Janssens", "Maes"), ("Kantoormeubelen", "Trading"),
            ("BV", "NV", "SRL")), ("Bruxelles", "Antwerpen", "Gent", "Liège")),
}

# name, city, country, payment terms
STORY_CUSTOMERS: tuple[tuple[str, str, str, str], ...] = (
    ("Adatum Corporation GmbH", "Berlin", "DE", "30D"),
    ("Trey Research B.V.", "Utrecht", "NL", "14D"),
    ("Café Lumière SARL", "Lyon", "FR", "30D"),
    ("Kowalski Meble Sp. z o.o.", "Kraków", "PL", "2/10N30"),
    ("Fabrikam Büromöbel AG", "München", "DE", "30D"),
    ("Contoso Ltd.", "Wien", "AT", "30D"),
    ("Alpine Ski House GmbH", "Salzburg", "AT", "2/10N30"),
    ("Northwind Traders S.L.", "Madrid", "ES", "14D"),
)

VENDOR_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Stadtwerke Leipzig GmbH", "DE", "Leipzig"),
    ("Office Depot Deutschland GmbH", "DE", "Köln"),
    ("Deutsche Telekom AG", "DE", "Bonn"),
    ("Spedition Krüger GmbH", "DE", "Hamburg"),
    ("Holzwerk Pichler KG", "AT", "Graz"),
    ("Meubles Girard SAS", "FR", "Lille"),
    ("Van der Berg Logistiek B.V.", "NL", "Rotterdam"),
    ("Immobilien Hoffmann GmbH", "DE", "Berlin"),
    ("Druckerei Wagner e.K.", "DE", "München"),
    ("Elettroforniture Colombo S.r.l.", "IT", "Torino"),
)

_BANK_CODES = {"DE": ("37040044", 10), "AT": ("20111", 11), "FR": ("3000600001", 13),
               "NL": ("ABNA", 10), "PL": ("10901014", 16), "ES": ("21000418", 12),
               "IT": ("X0542811101", 12), "BE": ("539", 9)}


def _check_digits(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in (bban + country + "00"))
    return f"{98 - int(digits) % 97:02d}"


def iban_for(country: str, party_no: str) -> str:
    """A checksum-valid, fictional IBAN derived from the party number."""
    code, width = _BANK_CODES.get(country, ("37040044", 10))
    number = "".join(ch for ch in party_no if ch.isdigit())
    bban = code + number.rjust(width, "0")
    return f"{country}{_check_digits(country, bban)}{bban}"


def rf_reference(reference: str) -> str:
    """An ISO 11649 creditor reference ("RF" + check digits + reference)."""
    ref = "".join(ch for ch in reference.upper() if ch.isalnum())
    return f"RF{_check_digits('RF', ref)}{ref}"
