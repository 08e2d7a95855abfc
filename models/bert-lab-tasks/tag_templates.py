"""The sentence templates of ``make_tag_data.py``: sentences with entity slots, and sentences
with none (their words all tagged O)."""

# Entity slots are the keys of gazetteers.SLOTS ({PER} {FIRST} {SURNAME} {COMPANY} {UNI} {CLUB}
# {AGENCY} {ORG} {COUNTRY} {CITY} {RIVER} {PROVINCE} {NATURE} {PEAK} {SEA} {SIGHT} {CONTINENT}
# {NAT} {LANG} {SPORT} {FESTIVAL} {HOLIDAY} {HISTORY} {DEVICE} {BRAND} {PRIZE} {BOOK} {PLAY}
# {FILM} {ART} ...); a digit after a slot ({CITY2}) draws a second, different value. Slots that
# state a fact come in true pairs: {CAPITAL}/{CAPCOUNTRY} and {RCITY}/{RRIVER}. Plain slots (tag
# O): {TITLE} {DAY} {MONTH} {YEAR} {NUM} {PCT} {TEMP} {ATHLETES} {SMALL} {TIME} {WEEKS}.
TEMPLATES = """
{PER} (said|told reporters|announced) on {DAY} that {COMPANY} would open a new office in {CITY}.
{TITLE} {SURNAME} (flew|travelled|took the train) to {CITY} to meet officials from {AGENCY}.
{COMPANY} (has hired|hired|appointed) {PER} as its new chief executive.
The {NAT} government said it would send aid to {COUNTRY} after the floods.
{PER} scored twice as {CLUB} beat {CLUB2} {SMALL}-1 on {DAY}.
{CLUB} (signed|have signed) the {NAT} midfielder {PER} on a three-year contract.
Heavy rain (closed|flooded) roads (across|in parts of) {PROVINCE} on {DAY} night.
The {RRIVER} burst its banks near {RCITY}, forcing hundreds of families to leave their homes.
{PER}, a student at {UNI}, won first prize at the {FESTIVAL}.
My (sister|brother|cousin|neighbour) {FIRST} is (studying|learning) {LANG} in {CITY} this year.
{FIRST} and {FIRST2} (met|had lunch|went for a walk) (by|near) the {RIVER} on {DAY}.
Shares in {COMPANY} rose {PCT} percent after the company reported strong sales in {COUNTRY}.
{COMPANY} (said|announced) it will (cut|add) {NUM} jobs at its site in {CITY}.
The {FESTIVAL} will be held in {CITY} (next year|in {YEAR}), organisers (said|confirmed) on {DAY}.
{PER} (won|was awarded) the {PRIZE} for their work on climate science.
Is {LANG} spoken in {COUNTRY}?
We are going to {CITY} for the {FESTIVAL} in {MONTH}.
{TITLE} {SURNAME} (teaches|will teach) {LANG} at {UNI}.
According to {AGENCY}, (more|fewer) tourists visited {COUNTRY} (last year|in {YEAR}).
{AGENCY} warned that the drought in {PROVINCE} could last until {MONTH}.
The new {PRODUCT} (goes on sale|will be released|arrives in shops) in {COUNTRY} next {DAY}.
{FIRST} bought a second-hand {DEVICE} from a shop in {CITY}.
{PER} (has been named|was named) (coach|manager|captain) of {CLUB}.
The {NAT} team (arrived|landed) in {CITY} ahead of the {SPORT}.
{PER} (directed|is directing|stars in) a new production of {PLAY} that opens in {CITY} this {MONTH}.
Our class read {BOOK} and wrote letters to {TITLE} {SURNAME} about it.
{TITLE} {SURNAME} asked the class to find {COUNTRY} on the map.
{CAPITAL} is the capital of {CAPCOUNTRY}.
{RCITY} (lies|sits|was built) on the banks of the {RRIVER}.
{FIRST} (moved|has moved) from {CITY} to {CITY2} to work for {COMPANY}.
Researchers at {UNI} and {UNI2} published a study on sleep and memory.
{AGENCY} (will send|sent) a team of doctors to {COUNTRY}, a spokesperson said.
Thousands of fans (watched|celebrated) the {CUP} final in the streets of {CITY}.
{PER} (grew up|was born) in {CITY} and now lives in {COUNTRY}.
{FIRST} speaks {LANG}, {LANG2} and a little {LANG3}.
The mayor of {CITY}, {PER}, (opened|visited) the new library on {DAY}.
{COMPANY} and {COMPANY2} (agreed|have agreed) to work together on electric buses.
A court in {CITY} (ruled|decided) on {DAY} that the vote was fair.
{PER} (will speak|spoke) at the {FESTIVAL} in {CITY}.
The film about the {HISTORY} (was shot|was filmed) in {PROVINCE}.
Tickets for {CLUB}'s match against {CLUB2} sold out in {SMALL} minutes.
{FIRST}'s favourite book is {BOOK}.
{TITLE} {SURNAME} said the {DEVICE} was the best present {FIRST} had ever had.
{COUNTRY} (beat|lost to|drew with) {COUNTRY2} in the opening game of the {CUP}.
{COUNTRY} and {COUNTRY2} signed a trade agreement in {CITY} on {DAY}.
Temperatures in {CITY} (reached|climbed to|fell to) {TEMP} degrees on {DAY}.
{PER} (is a|works as a) (nurse|teacher|engineer|journalist|lawyer) at {ORG}.
{PER} (joined|left) {COMPANY} in {YEAR}.
Flights between {CITY} and {CITY2} were (cancelled|delayed) because of fog.
The {NAT} (author|writer|poet) {PER} (will visit|visited) our school on {DAY}.
{UNI} (has opened|opened) a new campus in {CITY}.
{FIRST}, can you ask {FIRST2} to bring the {DEVICE} to class tomorrow?
Volunteers from {AGENCY} (planted|helped plant) {NUM} trees along the {RIVER}.
{PER} (set|broke) a new record at the {SPORT}.
{FIRST} (celebrates|is celebrating) {HOLIDAY} with their family in {CITY}.
The museum in {CITY} (is showing|shows) {ART} until the end of {MONTH}.
{COMPANY} (sells|makes) more than {NUM} million (phones|meals|parcels) a year in {CONTINENT}.
Many {NAT} students study at {UNI}.
{PER} of {ORG} said the results were (encouraging|disappointing|better than expected).
A (small|strong) earthquake (shook|struck) {CITY} early on {DAY} morning.
The road from {CITY} to {CITY2} was closed (for repairs|after an accident).
{TITLE} {SURNAME} (met|spoke with) {TITLE2} {SURNAME2} in {CITY} on {DAY}.
{CLUB} (are|is) top of the league after a win over {CLUB2}.
I (read|heard) that {PER} is writing a book about {COUNTRY}.
{FIRST} left their {DEVICE} on the bus to {CITY}.
In {YEAR}, {PER} became the first woman to lead {AGENCY}.
The {NAT} prime minister (arrived|is expected) in {CITY} for talks with {PER}.
{AGENCY} (approved|announced) a loan of {NUM} million dollars to {COUNTRY}.
Students from {UNI} (travelled|went) to {NATURE} (for fieldwork|to study the local plants).
Please send the report to {TITLE} {SURNAME} at {COMPANY} before {DAY}.
{PER} and {PER2} (are|were) named joint winners of the {PRIZE}.
The {PRIZE} (went to|was given to) the {NAT} writer {PER}.
The {SPORT} (starts|begins) on {DAY} and ends {WEEKS} weeks later.
{FIRST} (is learning|learned) to cook {NAT} food from their grandmother.
{CITY} (wants to host|has bid to host|will host) the {SPORT} in {YEAR}.
A new bridge over the {RRIVER} (will open|is due to open) in {RCITY} next {MONTH}.
{COMPANY} (recalled|is recalling) {NUM} (products|items) sold in {COUNTRY}.
{TITLE} {SURNAME} (is|was) elected mayor of {CITY}.
{PER} (played|sang|performed) at the {FESTIVAL} in front of {NUM} people.
{FIRST} (wants|hopes) to study medicine at {UNI}.
(Yesterday|Last week|On {DAY}), {PER} (visited|toured) a factory run by {COMPANY} in {CITY}.
The (team|squad) from {COUNTRY} (won|took) gold at the {SPORT}.
{FIRST} translated {BOOK} into {LANG}.
There are more than {NUM} {LANG} speakers in {CITY}.
{AGENCY} said the storm would reach {PROVINCE} by {DAY}.
{PER} (resigned|stepped down) as head of {ORG} on {DAY}.
Police in {CITY} said the (missing|lost) hikers were found safe (near|in) {NATURE}.
{FIRST} uses (a|an old) {DEVICE} to (write|check|save) their homework.
The (concert|festival|exhibition) in {CITY} (was|has been) moved to {MONTH}.
{PER} (coaches|trains) young players at {CLUB}.
{COUNTRY}'s (economy|population) grew faster than expected last year, {AGENCY} said.
{TITLE} {SURNAME} (has lived|has worked) in {CITY} for {SMALL} years.
The {NAT} embassy in {CITY} (will be|is) closed on {DAY}.
{FIRST} asked whether {BRAND} works without the internet.
Scientists at {UNI} (found|discovered) a new species of frog in {NATURE}.
{CITY} (wants|hopes) to become a twin city of {CITY2}.
{PER} (won|took) the {SPORT} for the (second|third|fourth) time.
We (watched|saw) {PLAY} at the theatre in {CITY} last {DAY}.
{COMPANY} (opened|will open) its first store in {COUNTRY} in {MONTH}.
{FIRST} (said|says) that {CITY} is (lovely|beautiful|crowded|expensive) in {MONTH}.
{PER}, who (founded|started) {COMPANY}, (gave|donated) {NUM} books to the school.
The {NAT} (singer|band) (released|announced) a new album on {DAY}.
{UNI} (ranks|is ranked) among the top {NUM} universities (in the world|for engineering).
{TITLE} {SURNAME} (wrote|marked) the {LANG} exam for Year {SMALL}.
Hundreds of (people|runners) (took part in|joined) the {SPORT} on {DAY}.
{AGENCY} (launched|will launch) a (satellite|ship) to study {SEA}.
{PER} (criticised|praised) the plan at a meeting of {ORG}.
Engineers at {COMPANY} (took apart|tested) a {DEVICE} to see how it works.
{FIRST} has a (dog|cat|parrot) called {FIRST2}.
{CLUB} (fans|supporters) (travelled|flew) to {CITY} for the {CUP} final.
{FIRST} (flew|travelled) from {COUNTRY} to {COUNTRY2} to visit their (aunt|grandparents).
{PER} (will take over|takes over) from {PER2} as head of {UNI} in {MONTH}.
Our school trip to {CITY} (is|was) on {DAY}.
(Organisers|The mayor) (hope|hopes) to bring the {FESTIVAL} to {CITY}.
{FIRST} (grew up|was raised) speaking {LANG} and {LANG2}.
{COMPANY} (bought|took over|has bought) {COMPANY2} for {NUM} million euros.
{TITLE} {SURNAME} from {ORG} (explained|described) how vaccines work.
{FIRST} (watched|streamed) {FILM} (on|with) their {DEVICE} last night.
A {NAT} (climber|team) reached the top of {PEAK} on {DAY}.
{PER} is the (new|first) {NAT} (ambassador|envoy) to {COUNTRY}.
Fishermen on the {RIVER} (caught|reported) fewer fish this {MONTH}.
{CITY} (council|officials) (agreed|voted) to build {NUM} new homes.
{FIRST} (forgot|lost) their {DEVICE} at {FIRST2}'s house.
{PER} told {ORG} that the project would be finished by {MONTH}.
{COUNTRY} will (send|bring) {ATHLETES} athletes to the {SPORT}.
The (train|bus|ferry) from {CITY} to {CITY2} takes about {SMALL} hours.
(Last|This) {MONTH}, {AGENCY} (opened|closed) its office in {CITY}.
{PER} (teaches|studies) history at {UNI} in {CITY}.
The {NAT} (chef|cook) {PER} (opened|runs) a restaurant in {CITY}.
{COMPANY} blamed (a computer fault|bad weather) for the delays in {COUNTRY}.
{CLUB} (lost|won) the {CUP} final on penalties.
{FIRST} and their friends (learned|sang) a {LANG} song for {HOLIDAY}.
{PER} (painted|copied) {ART} for the school exhibition.
"{PER} (is|was) a (wonderful|great|patient) teacher," said {PER2}.
"We are (proud|happy|delighted) to be in {CITY}," said {TITLE} {SURNAME} of {ORG}.
{PER} (asked|urged) {AGENCY} to (help|protect) farmers in {PROVINCE}.
Is {CITY} (bigger|older|warmer) than {CITY2}?
Which river flows through {CITY}?
{FIRST}, have you (ever|already) been to {COUNTRY}?
Why did {PER} leave {COMPANY}?
How many people live in {CITY}?
Who won the {PRIZE} in {YEAR}?
{FIRST} (said|thinks) the {NAT} (translation|version) of {BOOK} is better.
{TITLE} {SURNAME}, a (doctor|nurse|scientist) at {ORG}, (said|warned) that cases were rising.
The new {DEVICE} (sold out|was sold out) in {CITY} within hours.
{FIRST} works at the {COMPANY} shop (near|next to) the station.
The (trip|journey|cruise) along the {RRIVER} (from|to) {RCITY} took {SMALL} days.
{PER} (represented|will represent) {COUNTRY} at the {SPORT}.
After the {SPORT}, {FIRST} (flew|went) home to {CITY}.
{PER} and {TITLE} {SURNAME} (founded|started) {COMPANY} in a garage in {CITY}.
Rain is (expected|forecast) in {CITY} and {CITY2} on {DAY}, {AGENCY} said.
{ORG} (has|have) (raised|collected) {NUM} pounds for children in {COUNTRY}.
{FIRST} is the only {NAT} player in the {CLUB} squad.
The exchange students from {COUNTRY} (visited|toured) {UNI} on {DAY}.
{PER} called the {FESTIVAL} the best in years.
{TITLE} {SURNAME} and {FIRST} (went|drove) to {PROVINCE} for the weekend.
At the {FESTIVAL}, {PER} (met|interviewed) {PER2}.
{FIRST} (borrowed|returned) a copy of {BOOK} from the library.
{ORG} (plans|hopes) to (double|halve) its (staff|costs) in {COUNTRY} by {YEAR}.
{PER} (lost|won) their seat in the {CITY} election.
{FIRST} has had the same {DEVICE} for {SMALL} years.
We (met|took photos) in front of {SIGHT} on our last day in {CITY}.
Our history teacher, {TITLE} {SURNAME}, (knows|talks) a lot about the {HISTORY}.
Today we learned about the {HISTORY} and how it changed {CONTINENT}.
{FIRST} wants to (sail across|swim in) {SEA} one day.
{NAT} (scientists|doctors) (met|gathered) in {CITY} to talk about malaria.
{FIRST} (booked|cancelled) a (flight|holiday) to {COUNTRY} for {HOLIDAY}.
The {NAT} anthem was played when {PER} won the {SPORT}.
According to {PER}, {BRAND} is (easier|harder) to use than it looks.
{COMPANY} (paid|gave) its staff a bonus before {HOLIDAY}.
In {CITY}, most people speak {LANG} at home.
{TITLE} {SURNAME} (showed|explained) the class how {BRAND} works.
"""

NO_ENTITY = """
The meeting (has been moved|was moved) to {DAY} afternoon.
It (rained|snowed) all (day|night) and the roads were (icy|flooded).
(Please|Remember to) bring a pencil, a ruler and your homework on {DAY}.
The shop on the corner (sells|has) fresh bread every morning.
Prices (rose|fell) by {NUM} percent last month.
The (bus|train) was {SMALL} minutes late again this morning.
Our teacher (asked|told) us to read chapter {SMALL} before {DAY}.
The (team|players) trained hard all week and won the match on {DAY}.
(Scientists|Researchers) say that (bees|dolphins|crows) can recognise human faces.
The library (opens|closes) at {TIME} on weekdays.
(My|Our) (cat|dog) sleeps on the sofa (all day|every afternoon).
The (company|factory) (will hire|hired) {NUM} new workers next year.
The price of (petrol|bread|milk) went up again this week.
We (planted|watered) tomatoes in the school garden on {DAY}.
The (storm|wind) knocked down (several|two) trees in the park.
(Water|Ice) (boils|melts) at a fixed temperature at sea level.
The (museum|zoo) is free for children under {SMALL}.
The (match|game) ended in a draw after (extra time|a late goal).
Doctors say (adults|children) should sleep at least {SMALL} hours a night.
The (new|old) bridge (will be|was) closed for repairs until {MONTH}.
(Add|Stir in) the flour slowly and mix until the batter is smooth.
The results of the (exam|test) will be posted on {DAY}.
Most of the (students|parents) voted for a longer lunch break.
(The|Our) (train|flight) leaves at {TIME}, so we should leave early.
The (election|vote) will take place in {MONTH}.
A (small|young) boy found a wallet and took it to the police station.
(Turn off|Switch off) the lights when you leave the classroom.
The (river|lake) froze over for the first time in {NUM} years.
The (council|school) (plans|wants) to build a new playground.
Sales of (bicycles|electric cars) doubled last year.
"""
