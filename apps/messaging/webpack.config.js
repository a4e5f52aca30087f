const { serviceWebpackConfig } = require('../../tools/service-webpack-config');

module.exports = serviceWebpackConfig(__dirname);
