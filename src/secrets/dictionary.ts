// Words that people build secrets and passphrases from: the vocabulary of secrets and
// configuration, common English words and common password stems. Four letters or more, because
// shorter words turn up by chance in random text. Strength checks also match leetspeak spellings
// (p4ssw0rd) after undoing the usual substitutions.

const wordText = `
secret secrets password passwd passphrase private public token tokens access refresh session
cookie signing signature sign hmac key keys keyword master admin administrator root user users
guest login logon logout account auth authentication authorization oauth openid identity jwt jwts
bearer api apis client server service services backend frontend application app apps web website
internal external system database cache redis postgres mysql mongo sqlite docker kubernetes cloud
config configuration settings setting environment production prod staging stage development dev
local localhost test tests testing example examples sample demo default defaults temp temporary
dummy fake mock placeholder change changeme replace update remove delete insert select value values
string number true false null undefined none empty blank random generate generated unique strong
secure security safe safety protect protected encryption encrypt decrypt crypto cipher hash salt
pepper code codes pass word words phrase text long longer short super ultra mega hyper very really
simple easy hard company business team project product customer customers
hello world welcome thanks please sorry good great best better nice cool awesome amazing happy love
lovely life live living time times year years today tomorrow night morning evening summer winter
spring autumn monday tuesday wednesday thursday friday saturday sunday january february march april
june july august september october november december home house family friend friends people
person name names first last next previous current new old first second third start stop begin end
open close door window water fire earth wind stone rock metal gold silver iron steel paper glass
black white green blue yellow orange purple pink brown grey gray color colour light dark shadow
dragon monkey tiger lion eagle horse rabbit turtle snake spider shark whale dolphin falcon wolf bear
football baseball soccer hockey tennis basket basketball golf chess music guitar piano movie movies
star stars starwars trek matrix batman superman spiderman pokemon mario zelda minecraft
sunshine princess prince king queen knight castle angel devil heaven hell magic wizard ninja pirate
freedom liberty justice peace power energy money cash bank credit card wallet coin bitcoin crypto
letmein trustno welcome iloveyou whatever qwerty azerty dvorak keyboard mouse screen laptop
computer internet network router wireless wifi email mail message chat phone mobile android apple
google amazon microsoft windows linux ubuntu debian github gitlab slack discord twitter facebook
java python javascript typescript node nodejs react angular express fastify django flask rails
laravel spring nextjs nestjs golang rust ruby php perl swift kotlin dotnet csharp
correct horse battery staple coffee tea beer wine pizza burger chocolate cookie cookies cake
banana apple orange cherry lemon mango peach strawberry potato tomato pepper cheese bread
school college student teacher class lesson homework study book books library story
city town country village island mountain river ocean beach forest garden park street road
london paris berlin tokyo york california texas florida china india japan germany france canada
america england europe africa asia australia brazil mexico russia spain italy
mother father sister brother daughter son baby child children wife husband girl boy woman man
blood heart mind soul body head hand hands eyes face voice dream dreams sleep wake
party dance game games play player winner loser lucky chance
zero one two three four five six seven eight nine ten hundred thousand million
`;

/** Dictionary words, lowercase, four letters or more. */
export const dictionaryWords: ReadonlySet<string> = new Set(
  wordText.split(/\s+/).filter((word) => /^[a-z]{4,}$/.test(word)),
);

/** Length in characters of the longest dictionary word, which bounds the substring search. */
export const longestWordLength = Math.max(...[...dictionaryWords].map((word) => word.length));
