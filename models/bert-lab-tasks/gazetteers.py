"""Gazetteers for BERT Lab's templated tagging data (``make_tag_data.py``).

Written for BERT Lab by the project (CC0 1.0). The person names are invented combinations of
common given names and family names from many languages; any match with a real person is chance.
Organisations mix invented ones with well-known real companies, universities, clubs and agencies,
which the templates only ever use in neutral sentences. Places are real. The hand-written test
sentences (``data/tag_test.conll``) use other names and places on purpose, so the test measures
whether a model learnt to tag names it has not seen.

Each list is a plain list of strings; a multi-word string is one multi-token entity.
"""

from __future__ import annotations


def _split(block: str) -> list[str]:
    items = [item.strip() for item in block.replace("\n", ";").split(";")]
    return list(dict.fromkeys(item for item in items if item))


# --- persons: "First Last", many cultures (about 300) -------------------------------------------
PERSONS = _split("""
Maria Gonzalez; James Whitfield; Aisha Bello; Chen Wei; Priya Raman; Oluwaseun Adebayo;
Sofia Rossi; Lukas Becker; Hannah Schmidt; Kenji Watanabe; Yuki Tanaka; Fatima Haddad;
Omar Khalil; Ingrid Johansson; Lars Nilsson; Anna Kowalska; Piotr Nowak; Elena Petrova;
Dmitri Volkov; Ahmed Mansour; Leila Farahani; Reza Tehrani; Mei Lin; Zhang Hua; Li Na;
Arjun Mehta; Deepa Krishnan; Rahul Verma; Sunita Rao; Kwame Mensah; Ama Owusu; Thabo Nkosi;
Naledi Dlamini; Chidi Okafor; Ngozi Eze; Samuel Kiprop; Grace Wanjiru; Tomas Novak;
Jana Horvath; Carlos Mendoza; Lucia Fernandez; Diego Ramirez; Camila Souza; Joao Pereira;
Beatriz Almeida; Pierre Lefebvre; Claire Dubois; Antoine Moreau; Marie Laurent; Giulia Bianchi;
Marco Ferrari; Francesca Romano; Hugo Martins; Ines Carvalho; Sean Murphy; Siobhan Kelly;
Ciaran Walsh; Fiona MacLeod; Callum Fraser; Rhys Davies; Megan Evans; Olivia Bennett;
Thomas Clarke; Emily Hughes; Daniel Foster; Sarah Mitchell; Michael Turner; Laura Phillips;
David Nguyen; Linh Tran; Minh Pham; Ji-woo Park; Min-jun Kim; Seo-yeon Lee; Hyun Choi;
Sakura Yamamoto; Hiroshi Nakamura; Ravi Shankar Iyer; Ananya Gupta; Vikram Singh; Pooja Patel;
Nadia Rahman; Tariq Hussain; Zainab Abdullahi; Yusuf Ibrahim; Mustafa Yilmaz; Elif Demir;
Ayse Kaya; Mehmet Ozturk; Nikos Papadopoulos; Eleni Georgiou; Katarzyna Wisniewska;
Marek Dvorak; Olga Ivanova; Sergei Morozov; Irina Sokolova; Bjorn Andersen; Astrid Larsen;
Sven Eriksson; Freya Lindqvist; Matti Virtanen; Aino Korhonen; Jan de Vries; Sanne Bakker;
Pieter Jansen; Emma Visser; Felix Wagner; Sophie Hoffmann; Jonas Weber; Lea Fischer;
Alejandro Torres; Valentina Cruz; Mateo Herrera; Isabella Vargas; Santiago Morales;
Gabriela Rojas; Andres Castillo; Paula Jimenez; Rosa Delgado; Manuel Ortega; Tiago Costa;
Ana Ribeiro; Kofi Boateng; Efua Asante; Abdoulaye Diallo; Aminata Traore; Moussa Keita;
Fatoumata Sow; Tendai Moyo; Rudo Chikwanha; Lerato Mokoena; Sipho Zulu; Amara Conteh;
Yaw Darko; Hana Novakova; Noa Levi; Yosef Cohen; Tamar Friedman; Rania Saleh; Karim Nasser;
Layla Aziz; Samir Bouazza; Nour El-Din; Salma Benali; Youssef Amrani; Bilal Chaudhry;
Sana Qureshi; Imran Malik; Farah Siddiqui; Anil Kumar; Lakshmi Nair; Suresh Pillai;
Meera Joshi; Kiran Desai; Nikhil Bose; Rina Sato; Takeshi Kobayashi; Aiko Suzuki; Haruto Ito;
Xu Ming; Wang Fang; Liu Yang; Zhao Lei; Huang Mei; Sun Li; Nguyen Van An; Tran Thi Mai;
Somchai Wongsa; Kanya Srisuk; Budi Santoso; Dewi Lestari; Jose Reyes; Maria Santos;
Ramon Cruz; Teresa Bautista; Aroha Ngata; Tane Parata; Mia Thompson; Jack Wilson;
Charlotte Taylor; William Brown; Amelia Walker; Noah Robinson; Isla Campbell; Harry Wright;
Lily Green; George Hall; Ava Harris; Oscar Lewis; Grace Young; Leo King; Ruby Scott;
Ethan Baker; Chloe Adams; Jacob Carter; Zoe Morgan; Benjamin Cooper; Ella Ward; Samuel Reed;
Lucy Bailey; Henry Brooks; Evie Price; Alexander Gray; Matilda Bell; Joseph Cox; Alice Howard;
Marcus Johnson; Keisha Williams; Jamal Washington; Tanisha Robinson; Darnell Jackson;
Andre Thompson; Latoya Harris; Malik Brown; Imani Davis; Jasmine Moore; Tyrone Walker;
Carmen Lopez; Miguel Sanchez; Elena Ruiz; Luis Navarro; Pablo Serrano; Nerea Aguirre;
Iker Etxeberria; Ainhoa Garaikoetxea; Niamh O'Brien; Padraig Doyle; Eilidh Stewart;
Angus Mackenzie; Bronwen Jones; Dafydd Price; Kateryna Shevchenko; Oleksandr Bondarenko;
Andrius Kazlauskas; Ieva Jankauskaite; Peteris Berzins; Liis Tamm; Kristjan Saar;
Gunnar Magnusson; Sigrid Haugen; Henrik Dahl; Mette Kristensen; Rasmus Holm; Zsofia Nagy;
Balazs Toth; Andrei Popescu; Ioana Ionescu; Stefan Dimitrov; Milena Petrovic; Luka Horvat;
Ana Kovacevic; Edin Hodzic; Arben Krasniqi; Vahe Sargsyan; Nino Beridze; Giorgi Kapanadze;
Aziz Karimov; Dilnoza Rashidova; Aigerim Nurlanova; Bolat Serikbayev; Tenzin Dorji;
Pema Lhamo; Bishnu Thapa; Sabina Gurung; Ruwan Perera; Nimali Fernando; Arif Hossain;
Tahmina Akter; Hamid Karimi; Parisa Moradi; Ali Hassan; Mariam Yousef; Tewodros Bekele;
Selam Haile; Abebe Tadesse; Hodan Warsame; Jabari Mwangi; Neema Mushi; Baraka Otieno;
Akosua Frimpong; Emeka Nwosu; Funmilayo Adeyemi; Ifeoma Okonkwo; Babajide Ogunleye;
Kelechi Obi; Chiamaka Udeh; Femi Alabi; Halima Musa; Ibrahim Sani; Zara Ahmed; Noor Hamdan;
Rafael Medina; Daniela Pineda; Eduardo Salazar; Lorena Vega; Ricardo Fuentes; Ximena Quispe;
Javier Mamani; Renata Oliveira; Thiago Barbosa; Larissa Gomes; Felipe Araujo; Amanda Lima;
Kai Nakoa; Leilani Kahale; Sione Tupou; Losana Vakacegu; Hemi Walker; Anahera Wiremu;
Ethan Clarke; Maya Patel; Owen Richards; Nora Lindgren; Victor Hugo Almeida; Rosa Maria Silva
""")

# single-word family names used after a title ("Mr. Okafor", "Dr. Lindqvist")
SURNAMES = sorted({name.split()[-1] for name in PERSONS if "-" not in name.split()[-1]})
FIRST_NAMES = sorted({name.split()[0] for name in PERSONS})
TITLES = [
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Professor",
    "Coach",
    "Captain",
    "Judge",
    "Minister",
    "Senator",
    "Inspector",
    "Mayor",
    "President",
    "Chef",
    "Nurse",
]

# --- organisations (about 150) ------------------------------------------------------------------
COMPANIES = _split("""
Google; Microsoft; Apple; Amazon; Toyota; Siemens; Nestle; Unilever; Samsung; Sony; Nokia;
Volvo; IKEA; Airbus; Boeing; Shell; Tata Motors; Infosys; Alibaba; Tencent; Lego; Adidas;
Nike; Spotify; Netflix; Philips; Heineken; Maersk; Ericsson; Renault; Fiat; Honda; Panasonic;
Safaricom; MTN Group; Dangote Cement; Ecopetrol; Petrobras; Embraer; Air France; Lufthansa;
Emirates; Qantas; Ryanair; Deutsche Bahn; the BBC; Radio France; Al Jazeera; National Geographic;
Northwind Traders; Bluefin Robotics; Greenleaf Organics; Harbor Point Logistics;
Silverline Software; Redwood Energy; Maple Street Bakery; Cobalt Mining Company; Orchid Pharma;
Sunrise Dairy; Kestrel Aerospace; Pinecrest Insurance; Atlas Freight; Brightwater Foods;
Nimbus Cloud; Lakeside Motors; Granite Bank; Copperfield Books; Starling Telecom;
Horizon Solar; Velvet Fashion; Tidewater Shipping; Quantum Leap Labs; Evergreen Furniture;
Riverstone Hotels; Blue Harbour Fisheries; Crescent Airlines; Meadowbrook Farms
""")
UNIVERSITIES = _split("""
Harvard University; Stanford University; the University of Oxford; the University of Cambridge;
the Massachusetts Institute of Technology; the University of Tokyo; Peking University;
the University of Cape Town; the University of Nairobi; the University of Lagos;
Makerere University;
Sorbonne University; Heidelberg University; ETH Zurich; the University of Toronto;
McGill University;
the University of Melbourne; the National University of Singapore; the Indian Institute of Science;
the University of Sao Paulo; the University of Buenos Aires; Trinity College Dublin;
the University of Edinburgh; Seoul National University; Riverside Community College;
Northfield University; Lakeview High School; St. Mary's Primary School; Eastbrook Academy;
Westmoor College
""")
CLUBS = _split("""
Manchester United; Real Madrid; FC Barcelona; Bayern Munich; Juventus; Ajax; Celtic;
Boca Juniors; Flamengo; Al Ahly; Kaizer Chiefs; Los Angeles Lakers; Chicago Bulls;
New York Yankees; Toronto Raptors; Auckland Blues; Mumbai Indians; Galatasaray; Benfica;
Porto; Arsenal; Liverpool; Chelsea; Borussia Dortmund; Paris Saint-Germain;
Riverside Rovers; Northfield Wanderers; Harbour City Sharks; Eastbrook Eagles; Lakeside Lions
""")
AGENCIES = _split("""
the United Nations; the World Health Organization; UNESCO; the European Union;
the African Union; NATO; the Red Cross; Doctors Without Borders; NASA;
the European Space Agency; the World Bank; the International Monetary Fund;
Amnesty International; Greenpeace; Oxfam; FIFA; the International Olympic Committee;
the World Wildlife Fund; the Met Office; the National Weather Service; the City Council;
the Ministry of Health; the Ministry of Education; the Supreme Court; the Federal Reserve;
the Bank of England; Parliament; the Senate; the Labour Party; the Green Party;
the Chamber of Commerce; Riverside Hospital; Northfield Public Library; the National Museum;
the Royal Society; UNICEF; the Environment Agency; the Food and Agriculture Organization
""")
ORGS = list(dict.fromkeys(COMPANIES + UNIVERSITIES + CLUBS + AGENCIES))

# --- locations (about 300) ----------------------------------------------------------------------
COUNTRIES = _split("""
France; Germany; Spain; Italy; Portugal; Ireland; Scotland; Wales; England; Britain;
United Kingdom; United States; Canada; Mexico; Brazil; Argentina; Chile; Peru; Colombia;
Venezuela; Ecuador; Bolivia; Uruguay; Paraguay; Cuba; Jamaica; Haiti; Nigeria; Ghana; Kenya;
Uganda; Tanzania; Ethiopia; Somalia; Egypt; Morocco; Algeria; Tunisia; Libya; Sudan; Senegal;
Mali; Niger; Cameroon; Angola; Zambia; Zimbabwe; Mozambique; Botswana; Namibia; South Africa;
Rwanda; Madagascar; India; Pakistan; Bangladesh; Sri Lanka; Nepal; Bhutan; China; Japan;
South Korea; North Korea; Mongolia; Vietnam; Thailand; Cambodia; Laos; Myanmar; Malaysia;
Singapore; Indonesia; Philippines; Australia; New Zealand; Fiji; Samoa; Tonga; Papua New Guinea;
Russia; Ukraine; Poland; Czech Republic; Slovakia; Hungary; Austria; Switzerland; Belgium;
Netherlands; Luxembourg; Denmark; Norway; Sweden; Finland; Iceland; Estonia; Latvia; Lithuania;
Greece; Turkey; Cyprus; Romania; Bulgaria; Serbia; Croatia; Slovenia; Albania; Georgia;
Armenia; Azerbaijan; Kazakhstan; Uzbekistan; Iran; Iraq; Syria; Jordan; Lebanon; Israel;
Saudi Arabia; Qatar; Oman; Yemen; Kuwait; Afghanistan
""")
CITIES = _split("""
Paris; Berlin; Madrid; Rome; Lisbon; Dublin; London; Edinburgh; Cardiff; Belfast; Manchester;
Liverpool; Birmingham; Glasgow; New York; Los Angeles; Chicago; Houston; Boston; Seattle;
San Francisco; Miami; Atlanta; Denver; Toronto; Montreal; Vancouver; Ottawa; Mexico City;
Guadalajara; Havana; Bogota; Lima; Quito; Santiago; Buenos Aires; Montevideo; Sao Paulo;
Rio de Janeiro; Brasilia; Caracas; La Paz; Lagos; Abuja; Accra; Nairobi; Mombasa; Kampala;
Dar es Salaam; Addis Ababa; Cairo; Alexandria; Casablanca; Marrakesh; Tunis; Algiers; Dakar;
Bamako; Kinshasa; Luanda; Lusaka; Harare; Maputo; Johannesburg; Cape Town; Durban; Kigali;
Mumbai; Delhi; New Delhi; Bangalore; Chennai; Kolkata; Hyderabad; Karachi; Lahore; Islamabad;
Dhaka; Colombo; Kathmandu; Beijing; Shanghai; Shenzhen; Guangzhou; Hong Kong; Taipei; Tokyo;
Osaka; Kyoto; Seoul; Busan; Hanoi; Ho Chi Minh City; Bangkok; Phnom Penh; Kuala Lumpur;
Jakarta; Manila; Sydney; Melbourne; Brisbane; Perth; Auckland; Wellington; Moscow;
Saint Petersburg; Kyiv; Warsaw; Krakow; Prague; Vienna; Budapest; Zurich; Geneva; Brussels;
Amsterdam; Rotterdam; Copenhagen; Oslo; Stockholm; Helsinki; Reykjavik; Tallinn; Riga;
Vilnius; Athens; Istanbul; Ankara; Bucharest; Sofia; Belgrade; Zagreb; Tbilisi; Yerevan;
Baku; Tehran; Baghdad; Beirut; Amman; Jerusalem; Riyadh; Doha; Dubai; Muscat; Kabul;
Frankfurt; Munich; Hamburg; Barcelona; Seville; Valencia; Milan; Naples; Venice; Florence;
Porto; Marseille; Lyon; Bordeaux; Nice; Geneva; Salzburg; Antwerp; Gothenburg; Bergen;
Oxford; Cambridge; Bristol; Leeds; York; Aberdeen; Cork; Galway
""")
RIVERS = _split("""
Thames; Seine; Rhine; Danube; Nile; Amazon; Congo; Niger; Zambezi; Limpopo; Ganges; Indus;
Mekong; Yangtze; Yellow River; Mississippi; Missouri; Hudson; Colorado River; Rio Grande;
St. Lawrence; Volga; Dnieper; Elbe; Loire; Rhone; Tagus; Shannon; Severn; Murray River
""")
CONTINENTS = _split("""
Europe; Africa; Asia; South America; North America; Central America; the Middle East;
Scandinavia; the Balkans; the Caribbean; East Africa; West Africa; Southeast Asia
""")
PROVINCES = _split("""
Bavaria; Tuscany; Provence; Catalonia; Andalusia; Normandy; Brittany; Yorkshire; Cornwall;
the Highlands; Texas; California; Florida; Alaska; Ontario; Quebec; Kerala; Punjab; Rajasthan;
Tasmania; Queensland; Hokkaido; Okinawa; Bali; Sumatra; Borneo; Siberia; Patagonia; Lapland;
Kent; Devon; Galicia; Sicily; Sardinia; Crete; Flanders; Saxony; Lombardy; the Algarve;
Kwazulu-Natal; the Western Cape; Lagos State; Rift Valley Province; Sindh; Bengal; Yunnan;
Sichuan; Kyushu; Mindanao; Java; Victoria; New South Wales; British Columbia; Nova Scotia
""")
NATURE = _split("""
the Sahara; the Alps; the Andes; the Himalayas; the Rocky Mountains; Lake Victoria;
Lake Geneva; the Serengeti; the Rift Valley; the Amazon rainforest; the Gobi Desert;
the Pyrenees; the Atlas Mountains; the Kalahari; the Great Barrier Reef; Lake Titicaca;
the Scottish Highlands; the Black Forest; the Lake District; the Grand Canyon; the Outback;
the Galapagos Islands; Lake Baikal; the Dolomites; the Carpathians
""")
PEAKS = _split("""
Mount Kilimanjaro; Mount Everest; Mont Blanc; Mount Fuji; Mount Kenya; Ben Nevis; Aconcagua;
Denali; Table Mountain; Mount Olympus; Mount Etna; Snowdon
""")
SEAS = _split("""
the Atlantic; the Pacific; the Indian Ocean; the Mediterranean; the Baltic Sea; the North Sea;
the Arctic; Antarctica; the Red Sea; the Black Sea; the Caspian Sea; the Caribbean Sea
""")
PARKS = _split("""
Central Park; Hyde Park; Times Square; Trafalgar Square; Red Square; the Eiffel Tower;
the Colosseum; the Acropolis; the Great Wall; the Taj Mahal; Tahrir Square; Copacabana Beach
""")
REGIONS = list(dict.fromkeys(CONTINENTS + PROVINCES + NATURE + PEAKS + SEAS + PARKS))
# (capital, country) and (river, a city on it): templates that state a fact use these pairs
CAPITALS = [
    tuple(pair.split(":"))
    for pair in _split("""
Paris:France; Berlin:Germany; Madrid:Spain; Rome:Italy; Lisbon:Portugal; Dublin:Ireland;
London:United Kingdom; Ottawa:Canada; Mexico City:Mexico; Buenos Aires:Argentina;
Santiago:Chile; Lima:Peru; Bogota:Colombia; Quito:Ecuador; Havana:Cuba; Abuja:Nigeria;
Accra:Ghana; Nairobi:Kenya; Kampala:Uganda; Addis Ababa:Ethiopia; Cairo:Egypt; Dakar:Senegal;
Bamako:Mali; Luanda:Angola; Lusaka:Zambia; Harare:Zimbabwe; Maputo:Mozambique; Kigali:Rwanda;
New Delhi:India; Islamabad:Pakistan; Dhaka:Bangladesh; Kathmandu:Nepal; Beijing:China;
Tokyo:Japan; Seoul:South Korea; Hanoi:Vietnam; Bangkok:Thailand; Phnom Penh:Cambodia;
Kuala Lumpur:Malaysia; Jakarta:Indonesia; Manila:Philippines; Wellington:New Zealand;
Moscow:Russia; Kyiv:Ukraine; Warsaw:Poland; Prague:Czech Republic; Vienna:Austria;
Budapest:Hungary; Brussels:Belgium; Amsterdam:Netherlands; Copenhagen:Denmark; Oslo:Norway;
Stockholm:Sweden; Helsinki:Finland; Reykjavik:Iceland; Tallinn:Estonia; Riga:Latvia;
Vilnius:Lithuania; Athens:Greece; Ankara:Turkey; Bucharest:Romania; Sofia:Bulgaria;
Belgrade:Serbia; Zagreb:Croatia; Tbilisi:Georgia; Yerevan:Armenia; Baku:Azerbaijan;
Tehran:Iran; Baghdad:Iraq; Beirut:Lebanon; Amman:Jordan; Riyadh:Saudi Arabia; Doha:Qatar;
Muscat:Oman; Kabul:Afghanistan; Canberra:Australia; Brasilia:Brazil; Caracas:Venezuela
""")
]
RIVER_CITIES = [
    tuple(pair.split(":"))
    for pair in _split("""
Thames:London; Thames:Oxford; Seine:Paris; Rhine:Cologne; Rhine:Basel; Danube:Vienna;
Danube:Budapest; Danube:Belgrade; Nile:Cairo; Nile:Khartoum; Congo:Kinshasa; Niger:Bamako;
Niger:Niamey; Zambezi:Livingstone; Ganges:Varanasi; Indus:Hyderabad; Mekong:Phnom Penh;
Mekong:Vientiane; Yangtze:Shanghai; Yangtze:Wuhan; Mississippi:New Orleans;
Mississippi:St. Louis; Hudson:New York; Volga:Volgograd; Dnieper:Kyiv; Elbe:Hamburg;
Elbe:Dresden; Loire:Nantes; Rhone:Lyon; Tagus:Lisbon; Shannon:Limerick; Severn:Gloucester;
Vltava:Prague; Tiber:Rome; Arno:Florence; Spree:Berlin; Liffey:Dublin; Clyde:Glasgow;
Tyne:Newcastle; Amazon:Manaus; Douro:Porto; Ebro:Zaragoza; Vistula:Warsaw; Neva:Saint Petersburg
""")
]
RIVERS = list(dict.fromkeys(RIVERS + [river for river, _ in RIVER_CITIES]))
CITIES = list(dict.fromkeys(CITIES + [c for _, c in RIVER_CITIES] + [c for c, _ in CAPITALS]))
LOCATIONS = list(dict.fromkeys(COUNTRIES + CITIES + RIVERS + REGIONS))

# --- MISC (about 120): nationalities, languages, events, products, prizes, works -----------------
NATIONALITIES = _split("""
French; German; Spanish; Italian; Portuguese; Irish; Scottish; Welsh; English; British;
American; Canadian; Mexican; Brazilian; Argentine; Chilean; Peruvian; Colombian; Cuban;
Jamaican; Nigerian; Ghanaian; Kenyan; Ugandan; Ethiopian; Egyptian; Moroccan; Senegalese;
South African; Indian; Pakistani; Bangladeshi; Nepalese; Chinese; Japanese; Korean;
Vietnamese; Thai; Indonesian; Filipino; Australian; Russian; Ukrainian; Polish; Czech;
Hungarian; Austrian; Swiss; Belgian; Dutch; Danish; Norwegian; Swedish; Finnish; Greek;
Turkish; Iranian; Lebanese; Saudi; European; African; Asian
""")
LANGUAGES = _split("""
English; French; Spanish; German; Arabic; Mandarin; Cantonese; Hindi; Urdu; Bengali; Swahili;
Yoruba; Igbo; Hausa; Zulu; Amharic; Portuguese; Russian; Japanese; Korean; Turkish; Persian;
Tamil; Dutch; Polish; Greek; Italian; Welsh; Irish; Latin
""")
SPORTS = _split("""
World Cup; Olympic Games; Olympics; Tour de France; Wimbledon; Super Bowl; Champions League;
Africa Cup of Nations; Commonwealth Games; Rugby World Cup; Boston Marathon; London Marathon;
Copa America; Asian Games; Paralympics; Cricket World Cup; Australian Open; Giro d'Italia;
Six Nations; World Athletics Championships
""")
# tournaments that end in a final
CUPS = _split("""
World Cup; Champions League; Africa Cup of Nations; Rugby World Cup; Copa America;
Cricket World Cup; FA Cup; Asian Cup; Europa League; Women's World Cup
""")
SPORTS = list(dict.fromkeys(SPORTS + CUPS))
FESTIVALS = _split("""
Eurovision Song Contest; Glastonbury Festival; Edinburgh Festival; Oktoberfest; Carnival;
National Science Fair; World Expo; Cannes Film Festival; Venice Biennale; Hay Festival;
Frankfurt Book Fair; Notting Hill Carnival
""")
HOLIDAYS = _split("""
Ramadan; Diwali; Christmas; Easter; Lunar New Year; Thanksgiving; Hanukkah; Eid; Passover;
Nowruz; Holi; Halloween; New Year's Eve; Mother's Day; World Book Day; Earth Day
""")
HISTORY = _split("""
Second World War; First World War; Cold War; French Revolution; Industrial Revolution;
Renaissance; Great Depression; Moon landing; Black Death; Roman Empire
""")
EVENTS = list(dict.fromkeys(SPORTS + FESTIVALS + HOLIDAYS + HISTORY))
DEVICES = _split("""
iPhone; iPad; MacBook; Galaxy S24; PlayStation; Xbox; Nintendo Switch; Kindle; Chromebook;
Apple Watch; Fitbit; ThinkPad; Surface Pro; GoPro; AirPods
""")
BRANDS = _split("""
Toyota Corolla; Tesla Model 3; Volkswagen Golf; Boeing 737; Airbus A380; Coca-Cola; Nutella;
Lego Technic; Windows; Android; Linux; ChatGPT; Minecraft; Wikipedia; Python; Excel; Zoom;
WhatsApp; Instagram; Google Maps; Duolingo; Fortnite; Netflix Premium; Vespa
""")
PRODUCTS = list(dict.fromkeys(DEVICES + BRANDS))
PRIZES = _split("""
Nobel Prize; Nobel Peace Prize; Booker Prize; Pulitzer Prize; Oscar; Grammy; Fields Medal;
Ballon d'Or; Golden Globe; Turner Prize; Caine Prize; Man of the Match award;
Young Scientist of the Year award; Carnegie Medal
""")
BOOKS = _split("""
Pride and Prejudice; Things Fall Apart; Don Quixote; War and Peace; The Odyssey; Harry Potter;
The Little Prince; One Hundred Years of Solitude; Moby-Dick; The Hobbit; Jane Eyre;
Great Expectations; The Secret Garden; Charlotte's Web; Matilda; Anne of Green Gables;
Treasure Island; The Jungle Book; Half of a Yellow Sun; The Alchemist; Wuthering Heights;
Frankenstein; Little Women; Oliver Twist
""")
PLAYS = _split("""
Hamlet; Romeo and Juliet; Macbeth; A Midsummer Night's Dream; The Tempest; Othello;
King Lear; Twelfth Night; The Lion King; Swan Lake; The Nutcracker; Les Miserables;
The Phantom of the Opera; Death of a Salesman; Waiting for Godot
""")
FILMS = _split("""
Star Wars; Frozen; Toy Story; Finding Nemo; Jurassic Park; Spirited Away; The Wizard of Oz;
Black Panther; Paddington; Shrek; Up; Coco; Casablanca; Titanic
""")
ART = _split("""
Mona Lisa; The Starry Night; The Scream; Girl with a Pearl Earring; Sunflowers; The Kiss;
Water Lilies; The Thinker; Guernica; The Birth of Venus
""")
WORKS = list(dict.fromkeys(BOOKS + PLAYS + FILMS + ART))
MISC = list(dict.fromkeys(NATIONALITIES + LANGUAGES + EVENTS + PRODUCTS + PRIZES + WORKS))

# slot name -> (entity type, list); the templates in make_tag_data.py use these names
SLOTS: dict[str, tuple[str, list[str]]] = {
    "PER": ("PER", PERSONS),
    "FIRST": ("PER", FIRST_NAMES),
    "SURNAME": ("PER", SURNAMES),
    "COMPANY": ("ORG", COMPANIES),
    "UNI": ("ORG", UNIVERSITIES),
    "CLUB": ("ORG", CLUBS),
    "AGENCY": ("ORG", AGENCIES),
    "ORG": ("ORG", ORGS),
    "COUNTRY": ("LOC", COUNTRIES),
    "CITY": ("LOC", CITIES),
    "RIVER": ("LOC", RIVERS),
    "REGION": ("LOC", REGIONS),
    "CONTINENT": ("LOC", CONTINENTS),
    "PROVINCE": ("LOC", PROVINCES),
    "NATURE": ("LOC", NATURE),
    "PEAK": ("LOC", PEAKS),
    "SEA": ("LOC", SEAS),
    "SIGHT": ("LOC", PARKS),
    "LOC": ("LOC", LOCATIONS),
    "NAT": ("MISC", NATIONALITIES),
    "LANG": ("MISC", LANGUAGES),
    "EVENT": ("MISC", EVENTS),
    "PRODUCT": ("MISC", PRODUCTS),
    "DEVICE": ("MISC", DEVICES),
    "BRAND": ("MISC", BRANDS),
    "SPORT": ("MISC", SPORTS),
    "CUP": ("MISC", CUPS),
    "FESTIVAL": ("MISC", FESTIVALS),
    "HOLIDAY": ("MISC", HOLIDAYS),
    "HISTORY": ("MISC", HISTORY),
    "PRIZE": ("MISC", PRIZES),
    "WORK": ("MISC", WORKS),
    "BOOK": ("MISC", BOOKS),
    "PLAY": ("MISC", PLAYS),
    "FILM": ("MISC", FILMS),
    "ART": ("MISC", ART),
    "MISC": ("MISC", MISC),
}
