console.log('probe');
