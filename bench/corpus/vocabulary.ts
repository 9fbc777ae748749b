// Words the generated documents are made of: Dutch SME trades with what they sell (and at which VAT
// rate, as Dutch law has it: food, flowers, books and labour on older homes at 9%), shops for till
// receipts, names and places. All fictional; the street and city names are common Dutch ones.

export type Mix = "21" | "9" | "21+9" | "21+0";

export interface ItemSpec {
  nl: string;
  en: string;
  unit: string;
  price: [number, number];
  qty: [number, number];
  rate: 21 | 9 | 0;
}

export interface Trade {
  names: string[];
  mixes: Mix[];
  items: ItemSpec[];
}

const item = (nl: string, en: string, unit: string, price: [number, number], rate: 21 | 9 | 0, maxQty = 1): ItemSpec => ({ nl, en, unit, price, qty: [1, maxQty], rate });

export const TRADES: Trade[] = [
  {
    names: ["Drukkerij {s}", "{s} Print & Media"],
    mixes: ["21", "21+9"],
    items: [
      item("Flyers A5 135 grams, 1000 st.", "Flyers A5 135 gsm, 1000 pcs", "st", [89, 240], 21, 3),
      item("Visitekaartjes dubbelzijdig (500 st.)", "Business cards double-sided (500)", "st", [45, 95], 21, 4),
      item("Ontwerp huisstijl", "Corporate identity design", "uur", [65, 95], 21),
      item("Posters A2 full colour", "Posters A2 full colour", "st", [4.5, 12], 21, 50),
      item("Boekjes gebonden, oplage 200", "Bound booklets, run of 200", "st", [350, 900], 9),
    ],
  },
  {
    names: ["Schildersbedrijf {s}", "{s} Schilderwerken", "Stukadoorsbedrijf {s}"],
    mixes: ["21+9", "21", "9"],
    items: [
      item("Schilderwerk woning, arbeid", "Painting of dwelling, labour", "uur", [42, 58], 9),
      item("Stucwerk wanden woonkamer, arbeid", "Plastering living room walls, labour", "uur", [45, 60], 9),
      item("Verf en materialen", "Paint and materials", "st", [35, 480], 21),
      item("Steigerhuur per week", "Scaffolding rental per week", "st", [120, 260], 21, 3),
    ],
  },
  {
    names: ["Bloemenhuis {s}", "Bloembinderij {s}", "Kwekerij {s}"],
    mixes: ["9", "21+9"],
    items: [
      item("Boeket seizoensbloemen", "Seasonal bouquet", "st", [17.5, 65], 9, 6),
      item("Kamerplant in pot", "Potted house plant", "st", [12.95, 89], 9, 4),
      item("Bloemstuk receptie", "Reception flower arrangement", "st", [45, 145], 9, 2),
      item("Glazen vaas", "Glass vase", "st", [9.95, 39.95], 21, 4),
      item("Bezorging", "Delivery", "st", [7.5, 15], 21),
    ],
  },
  {
    names: ["{s} ICT", "Webbureau {s}", "{s} IT-Service"],
    mixes: ["21"],
    items: [
      item("Hosting pakket Business (jaar)", "Hosting package Business (year)", "st", [96, 360], 21),
      item("Website onderhoud", "Website maintenance", "uur", [75, 110], 21),
      item("Domeinnaam .nl (jaar)", "Domain name .nl (year)", "st", [9.95, 14.95], 21, 5),
      item("Microsoft 365 Business Standard licentie", "Microsoft 365 Business Standard licence", "st", [11.7, 12.5], 21, 12),
      item("Werkplek installatie op locatie", "On-site workstation setup", "uur", [70, 95], 21),
    ],
  },
  {
    names: ["Autobedrijf {s}", "Garage {s}"],
    mixes: ["21", "21+0"],
    items: [
      item("Kleine onderhoudsbeurt", "Minor service", "st", [149, 289], 21),
      item("APK-keuring", "MOT inspection", "st", [35, 59], 21),
      item("Ruitenwisserbladen (set)", "Wiper blades (set)", "st", [24.95, 49.95], 21),
      item("Arbeidsloon", "Labour", "uur", [62, 89], 21),
      item("Leges RDW kentekenoverschrijving (geen btw)", "RDW registration fee (no VAT)", "st", [12.4, 12.4], 0),
    ],
  },
  {
    names: ["Opleidingscentrum {s}", "{s} Trainingen"],
    mixes: ["21+0", "21"],
    items: [
      item("Cursus BHV basis (vrijgesteld)", "First aid course basic (exempt)", "st", [165, 245], 0, 8),
      item("Examengeld (vrijgesteld van btw)", "Exam fee (VAT exempt)", "st", [45, 95], 0, 8),
      item("Zaalhuur trainingslocatie", "Training room rental", "st", [150, 400], 21),
      item("Incompany maatwerk, voorbereiding", "In-company tailoring, preparation", "uur", [85, 125], 21),
    ],
  },
  {
    names: ["Koffiebranderij {s}", "{s} Koffie & Thee"],
    mixes: ["9", "21+9"],
    items: [
      item("Koffiebonen espresso 1 kg", "Espresso beans 1 kg", "st", [18.5, 32], 9, 12),
      item("Thee assortiment (doos 100 st.)", "Tea assortment (box of 100)", "st", [14, 27], 9, 6),
      item("Huur koffieautomaat (maand)", "Coffee machine rental (month)", "st", [45, 95], 21, 3),
      item("Onderhoud koffieautomaat", "Coffee machine service", "st", [79, 149], 21),
    ],
  },
  {
    names: ["Cateringbedrijf {s}", "Bakkerij {s}"],
    mixes: ["9", "21+9"],
    items: [
      item("Lunchbuffet per persoon", "Lunch buffet per person", "st", [14.5, 24.5], 9, 40),
      item("Slagroomtaart 20 personen", "Cream cake for 20", "st", [39, 69], 9, 3),
      item("Broodjes belegd (schaal 10 st.)", "Filled rolls (platter of 10)", "st", [27.5, 45], 9, 6),
      item("Huur statafels", "Standing table rental", "st", [12.5, 19.5], 21, 10),
    ],
  },
  {
    names: ["Transportbedrijf {s}", "{s} Logistiek"],
    mixes: ["21", "21+0"],
    items: [
      item("Transport pallets Zwolle - Rotterdam", "Pallet transport Zwolle - Rotterdam", "st", [85, 260], 21, 6),
      item("Wachttijd laadadres", "Waiting time at loading address", "uur", [55, 75], 21),
      item("Brandstoftoeslag", "Fuel surcharge", "st", [12, 45], 21),
      item("Zending naar Zwitserland (0%, export)", "Shipment to Switzerland (0%, export)", "st", [180, 640], 0, 2),
    ],
  },
];

const food = (nl: string, min: number, max: number, maxQty = 1) => item(nl, nl, "st", [min, max], 9, maxQty);
const goods = (nl: string, min: number, max: number, maxQty = 1) => item(nl, nl, "st", [min, max], 21, maxQty);

/** Shops for till receipts: the same shape as a trade. */
export const SHOPS: Trade[] = [
  {
    names: ["Supermarkt De Korf", "Buurtsuper {s}", "Versmarkt {s}"],
    mixes: ["9", "21+9", "21+9"],
    items: [
      food("Volkorenbrood heel", 2.19, 3.49),
      food("Melk halfvol 1L", 1.09, 1.35, 3),
      food("Jonge kaas plakken", 2.49, 4.99),
      food("Bananen 1 kg", 1.49, 2.29),
      food("Koffie snelfilter 500g", 4.49, 7.99),
      food("Appelsap 1,5L", 1.79, 2.89, 2),
      food("Eieren vrije uitloop 10st", 2.99, 3.89),
      goods("Afwasmiddel 500ml", 1.29, 2.49),
      goods("Batterijen AA 4st", 3.99, 6.99),
      goods("Vuilniszakken 20st", 1.99, 3.49),
    ],
  },
  {
    names: ["Bouwmarkt Klusgoed", "{s} Bouwmaterialen", "IJzerhandel {s}"],
    mixes: ["21"],
    items: [
      goods("Schroeven 4x40 (200st)", 5.49, 8.99, 3),
      goods("Muurverf wit 2,5L", 24.95, 44.95, 2),
      goods("Kwast plat 50mm", 3.99, 7.49, 2),
      goods("Kitpistool", 6.99, 12.99),
      goods("Afplaktape 50m", 3.49, 5.99, 4),
      goods("Verlengsnoer 5m", 9.99, 17.99),
    ],
  },
  {
    names: ["Eetcafe De Zwaan", "Lunchroom 't Hoekje", "Brasserie {s}"],
    mixes: ["21+9", "9"],
    items: [
      food("Cappuccino", 3.1, 3.9, 4),
      food("Uitsmijter ham/kaas", 9.5, 12.5, 2),
      food("Tosti ham-kaas", 4.95, 6.95, 3),
      food("Verse jus d'orange", 3.95, 4.95, 3),
      food("Appeltaart met slagroom", 4.5, 5.95, 3),
      goods("Pils 0,25L", 3.2, 3.9, 6),
      goods("Huiswijn glas", 4.95, 6.5, 4),
    ],
  },
  {
    names: ["Bakkerij {s}", "Warme Bakker {s}"],
    mixes: ["9"],
    items: [
      food("Desembrood", 3.45, 4.95),
      food("Krentenbollen 6st", 2.95, 3.95, 2),
      food("Appelflap", 1.6, 2.25, 4),
      food("Gevulde koek", 1.75, 2.45, 4),
      food("Croissant roomboter", 1.25, 1.95, 6),
    ],
  },
];

export const SURNAMES = [
  "Van der Meer",
  "Jansen",
  "De Vries",
  "Bakker",
  "Visser",
  "Smit",
  "Mulder",
  "De Boer",
  "Dekker",
  "Van Dijk",
  "Brouwer",
  "Hendriks",
  "Van Leeuwen",
  "Kok",
  "Peters",
  "Bos",
  "Vermeulen",
  "Van den Berg",
  "Willems",
  "Hoekstra",
];

export const CUSTOMER_NAMES = [
  "Bakkerij De Korenschoof",
  "Tandartspraktijk Zuidwest",
  "Stichting Buurthuis De Horst",
  "Fysiotherapie Oosterpark",
  "Kinderopvang Het Speelhuis",
  "Restaurant De Gouden Leeuw",
  "Makelaardij Vlietstra",
  "Huisartsenpraktijk Molenzicht",
  "Rijschool Vooruit",
  "Kapsalon Knipwerk",
];

export const PEOPLE = ["Dhr. P. de Boer", "Mevr. A. Kok", "J. Hendriks", "Mevr. S. van Dam", "Dhr. R. Veenstra", "M. Bosman", "Mevr. L. Dijkstra"];

export const STREETS = [
  "Hoofdstraat",
  "Kerkstraat",
  "Dorpsstraat",
  "Stationsweg",
  "Industrieweg",
  "Molenweg",
  "Nieuwe Gracht",
  "Parallelweg",
  "Marktplein",
  "Julianalaan",
  "Wilhelminastraat",
  "Schoolstraat",
  "Koningin Emmakade",
  "Ambachtsweg",
];

/** With their telephone area codes, so the phone numbers look local. */
export const CITIES = [
  { name: "Amsterdam", area: "020" },
  { name: "Utrecht", area: "030" },
  { name: "Zwolle", area: "038" },
  { name: "Groningen", area: "050" },
  { name: "Eindhoven", area: "040" },
  { name: "Tilburg", area: "013" },
  { name: "Haarlem", area: "023" },
  { name: "Amersfoort", area: "033" },
  { name: "Leeuwarden", area: "058" },
  { name: "Arnhem", area: "026" },
  { name: "Deventer", area: "0570" },
  { name: "Alkmaar", area: "072" },
  { name: "'s-Hertogenbosch", area: "073" },
];
