/* banned.h: libc calls that are easy to misuse are made unusable in project code.
 * Included last by every .c file through core/common.h. Use buf_printf / snprintf,
 * time_to_utc (gmtime_r) and explicit length-checked copies instead. */
#ifndef CSHQ_BANNED_H
#define CSHQ_BANNED_H

#define CSHQ_BANNED(func) sorry_##func##_is_banned_in_cshq

#undef strcpy
#define strcpy(a, b) CSHQ_BANNED(strcpy)
#undef strcat
#define strcat(a, b) CSHQ_BANNED(strcat)
#undef sprintf
#define sprintf(...) CSHQ_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CSHQ_BANNED(vsprintf)
#undef strtok
#define strtok(a, b) CSHQ_BANNED(strtok)
#undef gmtime
#define gmtime(t) CSHQ_BANNED(gmtime)
#undef localtime
#define localtime(t) CSHQ_BANNED(localtime)
#undef gets
#define gets(s) CSHQ_BANNED(gets)

#endif
