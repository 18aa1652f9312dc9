<?cs # _head.cs: top of the layout; every page includes it first. Strings come from lang/*.hdf. ?><!DOCTYPE html>
<html lang="<?cs if:Req.lang == "en" ?>en<?cs else ?>es-MX<?cs /if ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<?cs if:Page.refresh ?><meta http-equiv="refresh" content="<?cs var:Page.refresh ?>"><?cs /if ?>
<title><?cs if:Page.title ?><?cs var:Page.title ?> · <?cs /if ?><?cs var:Site.Name ?></title>
<link rel="stylesheet" href="/static/css/sekkan.css?v=<?cs var:Site.V ?>">
<link rel="icon" href="/static/img/sekkan.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main"><?cs var:Lang.layout.skip ?></a>
<header class="top">
<a class="brand" href="/"><img src="/static/img/sekkan.svg" alt="" width="28" height="28"> <?cs var:Site.Name ?></a>
<nav aria-label="<?cs var:Lang.layout.nav ?>">
<?cs if:Req.uid ?><a href="/tablero"><?cs var:Lang.layout.dashboard ?></a> <a href="/reuniones"><?cs var:Lang.layout.meetings ?></a> <a href="/sala"><?cs var:Lang.sala.nav ?></a> <a href="/contactos"><?cs var:Lang.contacts.nav ?></a>
<form method="post" action="/auth/logout" class="inline"><input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><button type="submit" class="link"><?cs var:Lang.layout.signout ?></button></form><?cs else ?><a class="btn btn-small" href="/auth/login"><?cs var:Lang.layout.signin ?></a><?cs /if ?>
</nav>
</header>
<main id="main">
