// Runs once, when the mongo container starts on an empty volume (docker-entrypoint-initdb.d), as the
// root user: one user per service, allowed to read and write its own database and nothing else.
// MPP_MONGO_DATABASES lists "<service>=<database>,..."; each service's password is
// MPP_MONGO_PASSWORD_<SERVICE> (upper case, '-' as '_'), both from docker-compose.yml.
const databases = (process.env.MPP_MONGO_DATABASES || '').split(',').filter(entry => entry.includes('='));
if (databases.length === 0) {
  throw new Error('MPP_MONGO_DATABASES is empty: no service could reach its database');
}
for (const entry of databases) {
  const [service, database] = entry.split('=').map(part => part.trim());
  const variable = 'MPP_MONGO_PASSWORD_' + service.toUpperCase().replace(/-/g, '_');
  const password = process.env[variable];
  if (!password) {
    throw new Error(variable + ' is not set');
  }
  db.getSiblingDB(database).createUser({
    user: service,
    pwd: password,
    roles: [{ role: 'readWrite', db: database }],
  });
  print('mongo user ' + service + ': readWrite on ' + database);
}
