module.exports = { resolve: { alias: { '@': require('node:path').join(__dirname, 'src') } } };
