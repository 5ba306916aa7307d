"""ISCO-08 major and sub-major groups with Finnish and English names.

English: the ILO's ISCO-08 group titles. Finnish: Statistics Finland's Ammattiluokitus 2010
(which follows ISCO-08 at these levels), shortened where the official title is very long.
Used for job-type diversity (fidelity item 19). Code "0x" groups are armed forces.
"""

MAJOR_GROUPS = [
    ("0", "Sotilaat", "Armed forces occupations"),
    ("1", "Johtajat", "Managers"),
    ("2", "Erityisasiantuntijat", "Professionals"),
    ("3", "Asiantuntijat", "Technicians and associate professionals"),
    ("4", "Toimisto- ja asiakaspalvelutyöntekijät", "Clerical support workers"),
    ("5", "Palvelu- ja myyntityöntekijät", "Service and sales workers"),
    (
        "6",
        "Maanviljelijät, metsätyöntekijät ym.",
        "Skilled agricultural, forestry and fishery workers",
    ),
    ("7", "Rakennus-, korjaus- ja valmistustyöntekijät", "Craft and related trades workers"),
    ("8", "Prosessi- ja kuljetustyöntekijät", "Plant and machine operators, and assemblers"),
    ("9", "Muut työntekijät", "Elementary occupations"),
]

SUB_MAJOR_GROUPS = [
    ("01", "Upseerit", "Commissioned armed forces officers"),
    ("02", "Aliupseerit", "Non-commissioned armed forces officers"),
    ("03", "Muut sotilaat", "Armed forces occupations, other ranks"),
    ("11", "Johtajat ja ylimmät virkamiehet", "Chief executives, senior officials and legislators"),
    ("12", "Hallintojohtajat ja kaupalliset johtajat", "Administrative and commercial managers"),
    (
        "13",
        "Tuotantotoiminnan ja yhteiskunnan peruspalvelujen johtajat",
        "Production and specialised services managers",
    ),
    (
        "14",
        "Hotelli- ja ravintola-alan, vähittäiskaupan ja muiden palvelualojen johtajat",
        "Hospitality, retail and other services managers",
    ),
    (
        "21",
        "Luonnontieteiden ja tekniikan erityisasiantuntijat",
        "Science and engineering professionals",
    ),
    ("22", "Terveydenhuollon erityisasiantuntijat", "Health professionals"),
    ("23", "Opettajat ja muut opetusalan erityisasiantuntijat", "Teaching professionals"),
    (
        "24",
        "Liike-elämän ja hallinnon erityisasiantuntijat",
        "Business and administration professionals",
    ),
    (
        "25",
        "Tieto- ja viestintäteknologian erityisasiantuntijat",
        "Information and communications technology professionals",
    ),
    (
        "26",
        "Lainopilliset, sosiaalialan ja kulttuurialan erityisasiantuntijat",
        "Legal, social and cultural professionals",
    ),
    (
        "31",
        "Luonnontieteiden ja tekniikan asiantuntijat",
        "Science and engineering associate professionals",
    ),
    ("32", "Terveydenhuollon asiantuntijat", "Health associate professionals"),
    (
        "33",
        "Liike-elämän ja hallinnon asiantuntijat",
        "Business and administration associate professionals",
    ),
    (
        "34",
        "Lainopilliset avustajat sekä sosiaali- ja kulttuurialan asiantuntijat",
        "Legal, social, cultural and related associate professionals",
    ),
    (
        "35",
        "Tieto- ja viestintäteknologian asiantuntijat",
        "Information and communications technicians",
    ),
    ("41", "Toimistotyöntekijät", "General and keyboard clerks"),
    ("42", "Asiakaspalvelutyöntekijät", "Customer services clerks"),
    (
        "43",
        "Laskennan ja varastoinnin toimistotyöntekijät",
        "Numerical and material recording clerks",
    ),
    ("44", "Muut toimistotyöntekijät", "Other clerical support workers"),
    ("51", "Palvelutyöntekijät", "Personal service workers"),
    ("52", "Myyjät, kauppiaat ym.", "Sales workers"),
    ("53", "Hoivapalvelun ja terveydenhuollon työntekijät", "Personal care workers"),
    ("54", "Suojelu- ja vartiointityöntekijät", "Protective services workers"),
    (
        "61",
        "Maanviljelijät ja eläintenkasvattajat",
        "Market-oriented skilled agricultural workers",
    ),
    (
        "62",
        "Metsä- ja kalatalouden työntekijät",
        "Market-oriented skilled forestry, fishery and hunting workers",
    ),
    (
        "63",
        "Omavaraistalouden harjoittajat",
        "Subsistence farmers, fishers, hunters and gatherers",
    ),
    (
        "71",
        "Rakennustyöntekijät ym. (pl. sähköasentajat)",
        "Building and related trades workers, excluding electricians",
    ),
    (
        "72",
        "Konepaja- ja valimotyöntekijät sekä asentajat ja korjaajat",
        "Metal, machinery and related trades workers",
    ),
    (
        "73",
        "Käsityötuotteiden valmistajat, painotyöntekijät ym.",
        "Handicraft and printing workers",
    ),
    ("74", "Sähkö- ja elektroniikka-alan työntekijät", "Electrical and electronic trades workers"),
    (
        "75",
        "Elintarvike-, puutyö-, vaatetus- ja jalkinealan valmistustyöntekijät",
        "Food processing, wood working, garment and other craft and related trades workers",
    ),
    ("81", "Prosessityöntekijät", "Stationary plant and machine operators"),
    ("82", "Kokoonpanijat", "Assemblers"),
    ("83", "Kuljetustyöntekijät", "Drivers and mobile plant operators"),
    ("91", "Siivoojat, kotiapulaiset ja muut puhdistustyöntekijät", "Cleaners and helpers"),
    (
        "92",
        "Maa-, metsä- ja kalatalouden avustavat työntekijät",
        "Agricultural, forestry and fishery labourers",
    ),
    (
        "93",
        "Teollisuuden ja rakentamisen avustavat työntekijät",
        "Labourers in mining, construction, manufacturing and transport",
    ),
    ("94", "Avustavat keittiö- ja ruokatyöntekijät", "Food preparation assistants"),
    (
        "95",
        "Katumyyjät, kengänkiillottajat ym.",
        "Street and related sales and service workers",
    ),
    (
        "96",
        "Katujen puhtaanapidon ja jätehuollon työntekijät ym.",
        "Refuse workers and other elementary workers",
    ),
]
